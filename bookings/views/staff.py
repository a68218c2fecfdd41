"""Staff pages of the booking engine: availability settings, the schedule's event feed, and one
booking's page with its history and actions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import SpecialistProfile, Studio
from accounts.views.access import staff_required
from bookings import rules, selectors, services
from bookings.classes import selectors as class_selectors
from bookings.classes.models import ClassOccurrence
from bookings.classes.selectors import Places
from bookings.desk.selectors import booking_desk_context
from bookings.forms import ClosureForm, DateOverrideForm, PolicyForm, WeeklyHoursForm
from bookings.models import Booking, Closure
from studio.kernel.errors import DomainError, Invalid, NotFound

SHOWN_STATUSES = [s for s in Booking.Status.values if s != Booking.Status.CANCELLED]


def _own_profile(user) -> SpecialistProfile | None:
    return SpecialistProfile.objects.filter(user=user).select_related("user").first()


def visible_specialists(user) -> list[SpecialistProfile]:
    """The owner sees every active specialist; a specialist sees only themself."""
    qs = SpecialistProfile.objects.filter(is_active=True).select_related("user").order_by("pk")
    if not user.is_owner:
        qs = qs.filter(user=user)
    return list(qs)


# --- availability settings --------------------------------------------------------------------


def _chosen_specialist(request) -> SpecialistProfile | None:
    if request.user.is_owner:
        wanted = request.GET.get("specialist") or request.POST.get("specialist")
        everyone = visible_specialists(request.user)
        for s in everyone:
            if str(s.pk) == str(wanted):
                return s
        return _own_profile(request.user) or (everyone[0] if everyone else None)
    return _own_profile(request.user)


def _apply(request, specialist: SpecialistProfile, studio: Studio) -> dict:
    """Run the posted action; returns the bound forms (with errors) to show again."""
    action, user = request.POST.get("action"), request.user
    bound: dict[str, forms.BaseForm] = {}
    form: forms.BaseForm
    pk = request.POST.get("pk") or 0
    if action == "add_hours":
        bound["hours_form"] = form = WeeklyHoursForm(request.POST)
        if form.is_valid():
            rules.weekly_hours_add(by=user, specialist=specialist, **form.cleaned_data)
            messages.success(request, "Working hours added.")
    elif action == "delete_hours":
        rules.weekly_hours_delete(by=user, pk=int(pk))
        messages.success(request, "Working hours removed.")
    elif action == "add_override":
        bound["override_form"] = form = DateOverrideForm(request.POST)
        if form.is_valid():
            rules.date_override_add(by=user, specialist=specialist, **form.cleaned_data)
            messages.success(request, "Date saved.")
    elif action == "delete_override":
        rules.date_override_delete(by=user, pk=int(pk))
        messages.success(request, "Date removed.")
    elif action == "add_closure":
        bound["closure_form"] = form = ClosureForm(request.POST)
        if form.is_valid():
            zone = ZoneInfo(studio.timezone)
            data = form.cleaned_data
            rules.closure_add(
                by=user,
                # The form's times are the studio's wall clock, not the server's.
                start=data["start"].replace(tzinfo=None).replace(tzinfo=zone),
                end=data["end"].replace(tzinfo=None).replace(tzinfo=zone),
                reason=data["reason"],
            )
            messages.success(request, "Closure saved.")
    elif action == "delete_closure":
        rules.closure_delete(by=user, pk=int(pk))
        messages.success(request, "Closure removed.")
    elif action == "policy":
        bound["policy_form"] = form = PolicyForm(request.POST, instance=Studio.get())
        if form.is_valid():
            rules.studio_policy_update(
                by=user, **{f: form.cleaned_data[f] for f in rules.POLICY_FIELDS}
            )
            messages.success(request, "Booking policy saved.")
    return {k: v for k, v in bound.items() if v.errors}


@staff_required
def availability_settings(request):
    """Weekly hours, days off and extra hours, studio closures and the booking policy."""
    specialist = _chosen_specialist(request)
    studio = Studio.get()
    bound: dict = {}
    if request.method == "POST" and specialist is not None:
        try:
            bound = _apply(request, specialist, studio)
        except (Invalid, DomainError) as exc:
            messages.error(request, exc.detail)
            bound = {}
        if not bound:
            return redirect(f"{reverse('booking-availability')}?specialist={specialist.pk}")
    today = timezone.now().date()
    context = {
        "specialist": specialist,
        "specialists": visible_specialists(request.user),
        "studio": studio,
        "hours_form": WeeklyHoursForm(),
        "override_form": DateOverrideForm(),
        "closure_form": ClosureForm(),
        "policy_form": PolicyForm(instance=studio),
        "closures": Closure.objects.filter(end__gte=timezone.now()).order_by("start"),
        "is_owner": request.user.is_owner,
        **bound,
    }
    if specialist is not None:
        hours = list(specialist.weekly_hours.order_by("weekday", "start"))
        context["week"] = [
            (name, [h for h in hours if h.weekday == i])
            for i, name in enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
        ]
        context["overrides"] = specialist.date_overrides.filter(date__gte=today).order_by("date")
    return render(request, "bookings/availability_settings.html", context)


# --- schedule feed ----------------------------------------------------------------------------


def _wall_clock(moment: datetime, zone: ZoneInfo) -> str:
    """Naive local ISO time: FullCalendar (timeZone 'UTC') then draws it as it reads."""
    return moment.astimezone(zone).replace(tzinfo=None).isoformat()


def _range_param(value: str | None, zone: ZoneInfo, default: datetime) -> datetime:
    if not value:
        return default
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return default
    # FullCalendar in 'UTC' mode sends wall-clock midnights of the display zone as UTC.
    return moment.replace(tzinfo=None).replace(tzinfo=zone)


@staff_required
def schedule_events(request):
    """Bookings and classes taught as FullCalendar events, wall-clock times in the display
    zone (?tz=); a class is one event with its places, not one per client."""
    studio = Studio.get()
    zone = ZoneInfo(_zone_or(request.GET.get("tz"), studio.timezone))
    today = datetime.combine(timezone.now().astimezone(zone).date(), time(0), tzinfo=zone)
    start = _range_param(request.GET.get("start"), zone, today)
    end = _range_param(request.GET.get("end"), zone, today + timedelta(days=7))
    if end <= start or end - start > timedelta(days=62):
        return JsonResponse({"detail": "Ask for up to 62 days."}, status=400)
    allowed = {s.pk for s in visible_specialists(request.user)}
    wanted = request.GET.getlist("specialist")
    ids = [int(w) for w in wanted if w.isdigit() and int(w) in allowed] if wanted else allowed
    with_cancelled = request.GET.get("cancelled") == "1"
    statuses = Booking.Status.values if with_cancelled else SHOWN_STATUSES
    bookings = selectors.bookings_between(
        start=start, end=end, specialists=sorted(ids), statuses=statuses
    )
    bookings = list(bookings.filter(occurrence__isnull=True))  # class places: as their class
    seen = access.visible_client_ids(request.user, {b.client_id for b in bookings})
    events = [_event(b, zone) if b.client_id in seen else _busy_event(b, zone) for b in bookings]
    classes = class_selectors.timetable(start=start, end=end, include_cancelled=with_cancelled)
    taught = [o for o in classes if o.instructor_id in ids]
    places = class_selectors.places_many(taught, timezone.now())
    events += [_class_event(o, places[o.pk], zone) for o in taught]
    events.sort(key=lambda event: event["start"])
    return JsonResponse(events, safe=False)


def _class_event(o: ClassOccurrence, places: Places, zone: ZoneInfo) -> dict:
    """A class taught: one event however many places, linking to its roster."""
    cancelled = o.status == ClassOccurrence.Status.CANCELLED
    waiting = f", {places.waiting} waiting" if places.waiting else ""
    count = "cancelled" if cancelled else f"{places.taken}/{places.places} booked{waiting}"
    return {
        "id": f"class-{o.pk}",
        "title": f"{o.class_type.name} · {count}",
        "start": _wall_clock(o.start, zone),
        "end": _wall_clock(o.end, zone),
        "url": reverse("class-roster", args=[o.pk]),
        "color": o.instructor.color,
        "classNames": ["class-event", "status-cancelled" if cancelled else "status-class"],
        "extendedProps": {
            "specialist": o.instructor_id,
            "status": "cancelled" if cancelled else "class",
            "class": o.class_type.name,
            "booked": places.taken,
            "places": places.places,
            "waiting": places.waiting,
        },
    }


def _event(b: Booking, zone: ZoneInfo) -> dict:
    return {
        "id": b.pk,
        "title": f"{b.client.name} · {b.service.name}",
        "start": _wall_clock(b.start, zone),
        "end": _wall_clock(b.end, zone),
        "url": reverse("booking-staff", args=[b.pk]),
        "color": b.specialist.color,
        "classNames": [f"status-{b.status}"],
        "extendedProps": {
            "specialist": b.specialist_id,
            "status": b.status,
            "client": b.client.name,
            "service": b.service.name,
        },
    }


BUSY_TITLE = "Booked (client not on your care team)"


def _busy_event(b: Booking, zone: ZoneInfo) -> dict:
    """A booking whose client the viewer may not see: the time is taken, nothing more (no
    client, service or link: accounts/access.py)."""
    return {
        "id": b.pk,
        "title": BUSY_TITLE,
        "start": _wall_clock(b.start, zone),
        "end": _wall_clock(b.end, zone),
        "color": b.specialist.color,
        "classNames": ["status-busy"],
        "extendedProps": {"specialist": b.specialist_id, "status": "busy"},
    }


def _zone_or(value: str | None, fallback: str) -> str:
    try:
        return selectors.zone_or_invalid(value or "").key
    except Invalid:
        return fallback


# --- one booking ------------------------------------------------------------------------------


@staff_required
def staff_booking(request, pk: int):
    """One booking for staff: details, history, and complete / no-show / cancel."""
    try:
        booking = selectors.booking_get_for(pk=pk, user=request.user)
    except NotFound:
        return render(request, "studio/error.html", {"title": "No such booking"}, status=404)
    tz = _zone_or(request.GET.get("tz"), booking.specialist.timezone)
    now = timezone.now()
    return render(
        request,
        "bookings/staff_booking.html",
        {
            "booking": booking,
            "events": selectors.booking_events(booking),
            "tz": tz,
            "can_mark": booking.status in (Booking.Status.CONFIRMED, *services.MARKABLE)
            and booking.start <= now,
            "can_cancel": booking.status in Booking.BLOCKING,
            **booking_desk_context(booking, request.user),
        },
    )


@staff_required
@require_POST
def staff_booking_action(request, pk: int):
    try:
        booking = selectors.booking_get_for(pk=pk, user=request.user)
    except NotFound:
        return render(request, "studio/error.html", {"title": "No such booking"}, status=404)
    try:
        action = request.POST.get("action")
        if action in services.MARKABLE:
            services.booking_mark(booking=booking, status=action, by=request.user)
            messages.success(request, "Saved.")
        elif action == "cancel":
            services.booking_cancel(
                booking=booking, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Booking cancelled; the client has been told.")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    return redirect("booking-staff", pk=pk)
