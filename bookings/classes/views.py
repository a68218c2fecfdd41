"""Class pages: /classes/ (the week's timetable in the visitor's zone), booking a place or
joining the waitlist, claiming an offer, and the staff roster with check-in ticks."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import ClientProfile, Studio
from accounts.views.access import staff_required
from studio.kernel.errors import DomainError, Invalid, NotFound
from studio.kernel.fields import date_in_range

from ..passes.selectors import credits_balance
from ..selectors import local_window, zone_or_invalid
from ..services import client_for_booking
from . import checkin, selectors, services, waitlist
from .models import ClassType, WaitlistOffer


def _zone(value: str | None, fallback: str):
    try:
        return zone_or_invalid(value or "")
    except Invalid:
        return zone_or_invalid(fallback)


def _week_start(value: str | None, today: date) -> date:
    """The Monday of the week asked for (this week's when none or nonsense)."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        day = today
    if not date_in_range(day):
        day = today
    return day - timedelta(days=day.weekday())


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def timetable(request):
    """The week's classes by day, in the visitor's zone, with places left."""
    studio = Studio.get()
    zone = _zone(request.GET.get("tz"), studio.timezone)
    today = timezone.now().astimezone(zone).date()
    monday = _week_start(request.GET.get("week"), today)
    window = local_window(monday, monday + timedelta(days=6), zone)
    kind = request.GET.get("type", "")[:50]
    instructor = _int_or_none(request.GET.get("instructor"))
    rows = selectors.timetable(
        start=window.start, end=window.end, class_type=kind, instructor=instructor
    )
    places = selectors.places_many(rows, timezone.now())
    client = _client(request)
    in_line = selectors.class_waiting_by_client([o.pk for o in rows], client.pk if client else None)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        classes = [
            {
                "o": o,
                "start": o.start.astimezone(zone),
                "end": o.end.astimezone(zone),
                "places": places[o.pk],
                "position": in_line.get(o.pk),
                "past": o.start <= timezone.now(),
            }
            for o in rows
            if o.start.astimezone(zone).date() == day
        ]
        days.append({"date": day, "classes": classes, "today": day == today})
    context = {
        "days": days,
        "zone": zone.key,
        "week": monday,
        "week_end": monday + timedelta(days=6),
        "previous": monday - timedelta(days=7),
        "next": monday + timedelta(days=7),
        "types": ClassType.objects.order_by("name"),
        "instructors": selectors.instructors(),
        "kind": kind,
        "instructor": instructor,
        "zone_given": bool(request.GET.get("tz")),
    }
    return render(request, "bookings/classes/timetable.html", context)


def _client(request) -> ClientProfile | None:
    user = request.user
    if user.is_authenticated and not user.is_studio_staff:
        return ClientProfile.objects.filter(user=user).first()
    return None


def _credits(request) -> int | None:
    """A logged-in client's credit balance (they may book with a credit in one tap)."""
    client = _client(request)
    return credits_balance(client_id=client.pk) if client else None


def _occurrence_or_404(pk: int):
    try:
        return selectors.occurrence_get(pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


def book(request, pk: int):
    """A place: a confirmation for a logged-in client, name and e-mail for a guest."""
    occurrence = _occurrence_or_404(pk)
    zone = _zone(request.GET.get("tz") or request.POST.get("tz"), Studio.get().timezone)
    context = {
        "o": occurrence,
        "start": occurrence.start.astimezone(zone),
        "end": occurrence.end.astimezone(zone),
        "zone": zone.key,
        "places": selectors.places_of(occurrence, timezone.now()),
        "guest": not request.user.is_authenticated,
        "credits": _credits(request),
        "errors": {},
        "data": request.POST,
    }
    if request.method == "POST":
        try:
            booking, payment = services.class_book(
                occurrence=occurrence,
                user=request.user,
                name=request.POST.get("name", "")[:150],
                email=request.POST.get("email", "")[:254],
                tz=zone.key,
                pay_with="credits" if request.POST.get("pay_with") == "credits" else "card",
            )
        except ValidationError as exc:
            context["errors"] = exc.message_dict
        except DomainError as exc:
            if exc.field:
                context["errors"] = {exc.field: [exc.detail]}
            else:
                messages.error(request, exc.detail)
                return redirect(f"{reverse('classes')}?tz={zone.key}")
        else:
            if payment and payment.get("pay_url"):
                return redirect(payment["pay_url"])
            return _booked(booking, zone.key)
    return render(request, "bookings/classes/book.html", context)


def _booked(booking, zone: str):
    """The booking's manage page, as its confirmation (a path: a form may only post, and be
    redirected, within this site)."""
    url = reverse("booking-manage", args=[booking.manage_token])
    return redirect(f"{url}?{urlencode({'tz': zone, 'new': 1})}")


@require_POST
def join_waitlist(request, pk: int):
    """Join the line for a full class (a logged-in client; guests book through the form)."""
    occurrence = _occurrence_or_404(pk)
    zone = _zone(request.POST.get("tz"), Studio.get().timezone)
    back = f"{reverse('classes')}?tz={zone.key}"
    try:
        if request.user.is_authenticated:
            client = _client(request)
            if client is None:
                raise PermissionDenied("Staff do not join waitlists.")
        else:
            client, _ = client_for_booking(
                user=None,
                name=request.POST.get("name", "")[:150],
                email=request.POST.get("email", "")[:254],
            )
        _, position = waitlist.waitlist_join(occurrence=occurrence, client=client)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(
            request,
            f"You are number {position} on the waitlist for {occurrence.title}. "
            "We will e-mail you if a place comes free.",
        )
    return redirect(back)


def claim(request, token: str):
    """The link in an offer e-mail: a button to claim (a GET never claims: mail scanners open
    links) and one to decline."""
    try:
        offer = waitlist.offer_get(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    zone = _zone(offer.entry.client.timezone, Studio.get().timezone)
    if request.method == "POST":
        try:
            if request.POST.get("decline"):
                waitlist.offer_decline(token=token)
                messages.success(request, "Thank you: the place goes to the next person waiting.")
                return redirect(f"{reverse('classes')}?tz={zone.key}")
            user = request.user if request.user.is_authenticated else None
            booking = waitlist.offer_claim(token=token, user=user)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            return _booked(booking, zone.key)
        offer.refresh_from_db()
    context = {
        "offer": offer,
        "o": offer.occurrence,
        "start": offer.occurrence.start.astimezone(zone),
        "expires": offer.expires_at.astimezone(zone),
        "usable": offer.status == WaitlistOffer.Status.OPEN and offer.expires_at > timezone.now(),
        "zone": zone.key,
    }
    return render(request, "bookings/classes/claim.html", context)


@staff_required
def roster(request, pk: int):
    """Staff: who is coming, with a tick per place (works on a phone at the door)."""
    occurrence = _occurrence_or_404(pk)
    zone = _zone(
        request.user_timezone if hasattr(request, "user_timezone") else "", Studio.get().timezone
    )
    context = {
        "o": occurrence,
        "start": occurrence.start.astimezone(zone),
        "end": occurrence.end.astimezone(zone),
        "rows": checkin.roster_rows(occurrence, request.user),
        "places": selectors.places_of(occurrence, timezone.now()),
        "zone": zone.key,
    }
    return render(request, "bookings/classes/roster.html", context)


@staff_required
@require_POST
def check_in(request, pk: int):
    """Staff: tick or untick one place; htmx swaps the row, a plain form reloads the roster."""
    occurrence = _occurrence_or_404(pk)
    booking_id = _int_or_none(request.POST.get("booking"))
    try:
        if booking_id is None:
            raise NotFound("No such place in this class.")
        checkin.place_check_in(
            occurrence=occurrence,
            booking_id=booking_id,
            present=request.POST.get("present") == "1",
            by=request.user,
        )
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)
    if request.headers.get("HX-Request"):
        row = next(
            r for r in checkin.roster_rows(occurrence, request.user) if r["booking"] == booking_id
        )
        return render(request, "bookings/classes/_roster_row.html", {"o": occurrence, "row": row})
    return redirect("class-roster", pk=occurrence.pk)
