"""Public booking pages: /book/ (service -> specialist -> time -> details) and the manage page.

The week of times is drawn in the browser from GET /api/availability/ in the visitor's own zone
(static/bookings/slots.js); everything else is server-rendered forms.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import SpecialistProfile, Studio
from bookings import confirmation, ratelimits, selectors, services
from bookings.audience import service_cards
from bookings.forms import BookingDetailsForm
from bookings.models import Booking, Service
from studio.kernel.errors import Conflict, DomainError, Invalid, NotFound, RateLimited
from studio.kernel.fields import date_in_range


def _zone_name(value: str | None, fallback: str) -> str:
    try:
        return selectors.zone_or_invalid(value or "").key
    except Invalid:
        return fallback


def _service_or_404(slug: str) -> Service:
    return get_object_or_404(Service, slug=slug, is_active=True)


def _specialist_choice(service: Service, value: str | None) -> SpecialistProfile | None:
    """None for "any"; 404 for a specialist who does not offer the service."""
    if not value or value == "any":
        return None
    offering = {str(s.pk): s for s in selectors.specialists_for(service)}
    if value not in offering:
        raise Http404("No such specialist for this service.")
    return offering[value]


def book_services(request):
    """Step 1: choose a service."""
    cards = service_cards(selectors.service_list(), request.user)
    return render(request, "bookings/book_services.html", {"cards": cards, "step": 1})


def book_specialist(request, slug: str):
    """Step 2: choose a specialist, or anyone free."""
    service = _service_or_404(slug)
    return render(
        request,
        "bookings/book_specialist.html",
        {"service": service, "specialists": selectors.specialists_for(service), "step": 2},
    )


def book_times(request, slug: str):
    """Step 3: a week of free times, drawn by slots.js in the visitor's zone."""
    service = _service_or_404(slug)
    specialist = _specialist_choice(service, request.GET.get("specialist"))
    return render(
        request,
        "bookings/book_times.html",
        {
            "service": service,
            "specialist": specialist,
            "specialist_param": specialist.pk if specialist else "any",
            "tz": _zone_name(request.GET.get("tz"), ""),
            "step": 3,
        },
    )


def _parse_start(value: str | None) -> datetime:
    try:
        start = datetime.fromisoformat(value or "")
    except ValueError as exc:
        raise Http404("No such time.") from exc
    if start.tzinfo is None or not date_in_range(start):  # year 1 or 9999 overflows in UTC
        raise Http404("No such time.")
    return start


def book_details(request, slug: str):
    """Step 4: who is coming; POST books the slot and shows the confirmation."""
    # A POST counts against BOOKING_RATE with the API's (same scope, same counter).
    limited = _limited(request, ratelimits.CREATE) if request.method == "POST" else None
    service = _service_or_404(slug)

    def param(name: str) -> str | None:
        return request.POST.get(name) or request.GET.get(name)

    specialist = _specialist_choice(service, param("specialist"))
    start = _parse_start(param("start"))
    studio = Studio.get()
    tz = _zone_name(param("tz"), studio.timezone)
    user = request.user if request.user.is_authenticated else None
    guest = user is None or user.role != "client"
    form = BookingDetailsForm(request.POST or None, guest=guest)
    taken = False
    if limited:
        form.is_valid()
        form.add_error(
            None,
            "You have tried to book several times in a short time. Please call us or try "
            "again later.",
        )
    elif request.method == "POST" and form.is_valid():
        try:
            services.guest_may_book(service=service, user=user)
            booking, payment = services.booking_create(
                service=service,
                specialist=specialist,
                start=start,
                user=user,
                tz=tz,
                **form.cleaned_data,
            )
        except Conflict:
            taken = True
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            if payment and payment.get("pay_url"):
                return redirect(payment["pay_url"])
            url = reverse("booking-manage", args=[booking.manage_token])
            return redirect(f"{url}?tz={tz}&new=1")
    response = render(
        request,
        "bookings/book_details.html",
        {
            "service": service,
            "specialist": specialist,
            "specialist_param": specialist.pk if specialist else "any",
            "start": start,
            "tz": tz,
            "form": form,
            "taken": taken,
            "step": 4,
        },
        status=429 if limited else 409 if taken else 200,
    )
    if limited:
        response["Retry-After"] = str(limited.retry_after)
    return response


def _limited(request, scope: str) -> RateLimited | None:
    """The refusal if this booking write is over BOOKING_RATE (and counts it otherwise)."""
    try:
        ratelimits.check(request, scope=scope)
    except RateLimited as exc:
        return exc
    return None


def _too_many(request, limited: RateLimited):
    """A cancel or reschedule over the limit: 429, without looking the token up."""
    response = render(
        request,
        "studio/error.html",
        {"title": "Too many changes in a short time. Please call us or try again later."},
        status=429,
    )
    response["Retry-After"] = str(limited.retry_after)
    return response


def _manage_context(request, booking: Booking) -> dict:
    now = timezone.now()
    studio = Studio.get()
    window = studio.cancellation_window_hours
    changeable = booking.status in Booking.BLOCKING and booking.start > now
    # A link without ?tz= shows the studio's zone to a stranger, and its time picker the
    # visitor's own (slots.js detects it): never the zone of the client whose address was typed.
    zone = _zone_name(request.GET.get("tz"), "") or selectors.booking_viewer_zone(
        booking, request.user
    )
    return {
        "booking": booking,
        "tz": zone or studio.timezone,
        "picker_tz": zone,
        "new": request.GET.get("new") == "1",
        "changeable": changeable,
        "late": changeable and (booking.start - now).total_seconds() < window * 3600,
        "window": window,
        "google_url": confirmation.google_calendar_url(booking, studio),
        "intake_due": confirmation.intake_due(booking, request.user),
    }


def manage(request, token: str):
    """The page behind the e-mailed link: see, reschedule or cancel one booking."""
    try:
        booking = selectors.booking_get_by_token(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = render(request, "bookings/manage.html", _manage_context(request, booking))
    response["Referrer-Policy"] = "same-origin"  # the token is in the URL: keep it on this site
    response["X-Robots-Tag"] = "noindex"
    return response


def manage_ics(request, token: str):
    """ "Add to calendar": this booking as an .ics file."""
    try:
        booking = selectors.booking_get_by_token(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(
        confirmation.booking_ics(booking, Studio.get()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="booking.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


def _back(token: str, tz: str | None) -> str:
    url = reverse("booking-manage", args=[token])
    return f"{url}?tz={tz}" if tz else url


@require_POST
def manage_cancel(request, token: str):
    if limited := _limited(request, ratelimits.MANAGE):
        return _too_many(request, limited)
    try:
        booking = selectors.booking_get_by_token(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    actor = request.user if request.user.is_authenticated else None
    try:
        booking = services.booking_cancel(booking=booking, by=actor)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        late = " It was inside the late-cancellation window." if booking.late_cancellation else ""
        messages.success(request, f"Your booking is cancelled.{late}")
    return redirect(_back(token, request.POST.get("tz")))


@require_POST
def manage_reschedule(request, token: str):
    if limited := _limited(request, ratelimits.MANAGE):
        return _too_many(request, limited)
    try:
        booking = selectors.booking_get_by_token(token)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    actor = request.user if request.user.is_authenticated else None
    try:
        start = _parse_start(request.POST.get("start"))
        services.booking_reschedule(booking=booking, start=start, by=actor)
    except Http404:
        messages.error(request, "Please choose a time.")
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Your booking has moved to the new time.")
    return redirect(_back(token, request.POST.get("tz")))
