"""Booking e-mails: confirmation, change and cancellation, to the client and the specialist.

Owed in the change's transaction (`booking_notify_later`, an outbox row per e-mail) and sent by
the worker after the commit, retried until delivered (studio/kernel/outbox.py). Subjects name the
service and the time only: never notes or anything about the client's health. The `.ics` invite
comes from bookings/calendars/events.py when it has one.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

from accounts import access
from accounts.models import Studio
from bookings.calendars.events import Audience, invite_ics
from studio.kernel.outbox import outbox_add_many

from .links import manage_url
from .models import Booking

log = logging.getLogger(__name__)

KINDS = ("confirmed", "rescheduled", "cancelled")
AUDIENCES = ("client", "specialist")
SUBJECTS = {
    ("client", "confirmed"): "Booking confirmed: {service}, {when}",
    ("client", "rescheduled"): "Booking moved: {service}, now {when}",
    ("client", "cancelled"): "Booking cancelled: {service}, {when}",
    ("specialist", "confirmed"): "New booking: {service}, {when}",
    ("specialist", "rescheduled"): "Booking moved: {service}, now {when}",
    ("specialist", "cancelled"): "Booking cancelled: {service}, {when}",
}


def format_when(moment: datetime, zone: str) -> str:
    """'Tue 2 Jun 2026, 9:00 AM EDT' in the given zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b %Y}, {local.hour % 12 or 12}:{local:%M %p %Z}"


def _still_true(booking: Booking, kind: str) -> bool:
    """A queued message whose news is outdated (e.g. confirmed, then cancelled) is dropped."""
    if kind == "cancelled":
        return booking.status == Booking.Status.CANCELLED
    return booking.status == Booking.Status.CONFIRMED


def booking_message(booking: Booking, kind: str, audience: str) -> EmailMessage:
    """Build one booking e-mail for the client or the specialist, with the invite if any."""
    studio = Studio.get()
    if audience == "client":
        person, zone = booking.client.user, booking.client.timezone
    else:
        person, zone = booking.specialist.user, booking.specialist.timezone
    when = format_when(booking.start, zone)
    # A specialist not on the client's care team (a guest booked them with an existing
    # client's address) hears that the time is booked, not who booked it (accounts/access.py).
    named = audience == "client" or access.may_see_client(person, booking.client_id)
    context = {
        "booking": booking,
        "client_name": booking.client.name if named else "a client not on your care team",
        "kind": kind,
        "studio": studio,
        "person": person,
        "when": when,
        "manage_url": manage_url(booking, zone),
        "site_url": settings.SITE_URL,
    }
    message = EmailMessage(
        subject=SUBJECTS[(audience, kind)].format(service=booking.service.name, when=when),
        body=render_to_string(f"bookings/email/{audience}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[person.email],
        reply_to=[studio.email] if studio.email else None,
    )
    method = "CANCEL" if kind == "cancelled" else "REQUEST"
    own = Audience.INVITE if audience == "client" else Audience.SPECIALIST
    ics = invite_ics(booking, method, own) if named else None  # the invite names the client
    if ics is not None:
        message.attach("invite.ics", ics, f"text/calendar; method={method}")
    return message


def booking_notify_later(booking: Booking, kind: str) -> None:
    """Inside the change's transaction: owe the client and the specialist this booking e-mail
    (rendered and sent by the worker, not here)."""
    outbox_add_many(
        kind="booking_notify",
        payloads=[
            {"booking_id": booking.pk, "kind": kind, "audience": audience} for audience in AUDIENCES
        ],
        about=f"booking:{booking.pk}",
    )


def booking_notify(*, booking_id: int, kind: str, audience: str) -> bool:
    """Send one booking e-mail if its news still holds; True when sent. SMTP errors propagate."""
    if kind not in KINDS or audience not in AUDIENCES:
        raise ValueError(f"unknown booking e-mail {audience}/{kind}")
    booking = (
        Booking.objects.select_related("client__user", "specialist__user", "service")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or not _still_true(booking, kind):
        return False
    booking_message(booking, kind, audience).send()
    log.info("booking e-mail sent: booking=%s kind=%s to=%s", booking_id, kind, audience)
    return True
