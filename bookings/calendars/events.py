"""Calendars: the hooks the booking engine calls, and how a booking becomes an iCalendar event.

Hooks (called by bookings/services.py and the notification e-mails):
- calendar_booking_changed(booking): after create/reschedule/cancel, inside the booking's
  transaction; queues the CalDAV push once the transaction commits. Never raises for a calendar.
- invite_ics(booking, method): bytes of an .ics attachment (METHOD:REQUEST or CANCEL), and
  invite_attachment(booking, method): the same as a MIME part ready for EmailMessage.attach().

Feeds live in calendar_feeds.py, CalDAV and ICS sync in caldav_sync.py, jobs in tasks_calendars.py.
Every event leaves out health details: never the booking's notes, the client's conditions or goals.
"""

import logging
from datetime import UTC, datetime
from email.mime.text import MIMEText
from email.utils import parseaddr
from functools import partial

import icalendar
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import Studio
from bookings.links import manage_url
from bookings.models import Booking, CalendarConnection, CalendarPush
from studio.kernel import sql
from studio.kernel.jobs import enqueue

log = logging.getLogger(__name__)

PRODID = "-//Tonic//Tonic bookings 1.0//EN"
# Marks events Tonic pushed to a CalDAV calendar, so the busy-time import skips them.
TONIC_MARKER = "X-TONIC-BOOKING"


class Audience:
    """Who an event is written for; it decides the wording and what is shown."""

    SPECIALIST = "specialist"  # the specialist's own feed
    STUDIO = "studio"  # the owner's whole-studio feed
    CLIENT = "client"  # the client's feed
    CALDAV = "caldav"  # pushed into the specialist's CalDAV calendar
    INVITE = "invite"  # the .ics attached to the client's e-mails


def event_status(booking: Booking) -> str:
    """The iCalendar STATUS of a booking: held ones are tentative until paid."""
    if booking.status == Booking.Status.CANCELLED:
        return "CANCELLED"
    if booking.status == Booking.Status.HELD:
        return "TENTATIVE"
    return "CONFIRMED"


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# A specialist's own calendar shows a booking whose client is not on their care team
# (accounts/access.py) as taken time only: no client, no service.
BUSY_TEXT = "Booked (client not on your care team)"


def _summary(booking: Booking, audience: str, busy: bool = False) -> str:
    service, client = booking.service.name, booking.client.user.name
    specialist = booking.specialist.user.name
    if busy:
        text = BUSY_TEXT
    elif audience in (Audience.SPECIALIST, Audience.CALDAV):
        text = f"{service}: {client}"
    elif audience == Audience.STUDIO:
        text = f"{service}: {client} with {specialist}"
    else:
        text = f"{service} with {specialist}"
    return f"Cancelled: {text}" if booking.status == Booking.Status.CANCELLED else text


def _description(booking: Booking, audience: str, studio: Studio, busy: bool = False) -> str:
    minutes = int((booking.end - booking.start).total_seconds() // 60)
    if busy:
        return f"{BUSY_TEXT}, {minutes} min.\nBooked through {studio.name}."
    lines = [f"{booking.service.name} ({minutes} min)"]
    if audience in (Audience.CLIENT, Audience.INVITE):
        lines.append(f"With {booking.specialist.user.name}")
        lines.append(", ".join(p for p in (studio.name, studio.address) if p))
        if studio.phone:
            lines.append(f"Phone: {studio.phone}")
        if booking.status != Booking.Status.CANCELLED:
            lines.append(f"Reschedule or cancel: {manage_url(booking)}")
    else:
        lines.append(f"Client: {booking.client.user.name}")
        if audience == Audience.STUDIO:
            lines.append(f"Specialist: {booking.specialist.user.name}")
        if booking.status == Booking.Status.HELD:
            lines.append("Held until paid.")
        lines.append(f"Booked through {studio.name}.")
    return "\n".join(lines)


def booking_event(
    booking: Booking,
    *,
    audience: str,
    studio: Studio,
    stamp: datetime | None = None,
    busy: bool = False,
) -> icalendar.Event:
    """One booking as a VEVENT for an audience: stable UID, SEQUENCE, UTC times, no health data.

    DTSTAMP is the booking's last change for stored objects (feeds, CalDAV; RFC 5545 3.8.7.2)
    and the sending time for invites (pass `stamp`).
    """
    event = icalendar.Event()
    event.add("uid", booking.uid)
    event.add("dtstamp", _utc(stamp or booking.updated))
    event.add("dtstart", _utc(booking.start))
    event.add("dtend", _utc(booking.end))
    event.add("sequence", booking.sequence)
    event.add("status", event_status(booking))
    event.add("summary", _summary(booking, audience, busy))
    event.add("description", _description(booking, audience, studio, busy))
    if studio.address:
        event.add("location", studio.address)
    event.add("created", _utc(booking.created))
    event.add("last-modified", _utc(booking.updated))
    event.add("transp", "TRANSPARENT" if booking.status == Booking.Status.CANCELLED else "OPAQUE")
    # PRIVATE: a calendar shared with family or colleagues shows "busy", not the session.
    event.add("class", "PRIVATE")
    if audience in (Audience.CLIENT, Audience.INVITE):
        event.add("url", manage_url(booking))
    if audience == Audience.CALDAV:
        event.add(TONIC_MARKER, "TRUE")
    return event


def new_calendar(*, method: str | None = None, name: str | None = None) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    return cal


def caldav_ics(booking: Booking, studio: Studio) -> str:
    """The object stored in a specialist's CalDAV calendar: no METHOD, no ORGANIZER/ATTENDEE
    (a scheduling server such as iCloud or Google would otherwise e-mail the client)."""
    busy = not access.may_see_client(booking.specialist.user, booking.client_id)
    cal = new_calendar()
    cal.add_component(booking_event(booking, audience=Audience.CALDAV, studio=studio, busy=busy))
    return cal.to_ical().decode()


INVITE_METHODS = ("REQUEST", "CANCEL")


def invite_ics(booking: Booking, method: str = "REQUEST", audience: str = Audience.INVITE) -> bytes:
    """The .ics for a confirmation/reschedule (REQUEST) or cancellation (CANCEL) e-mail; the
    specialist's copy (audience SPECIALIST) is titled with the client, the client's with the
    specialist, each as their own calendar shows it.

    Same UID as every other copy of the booking and SEQUENCE = booking.sequence (the engine bumps
    it on every change), so Google, Apple and Outlook update or remove the event they already
    have. Raises ValueError for another method.
    """
    method = method.upper()
    if method not in INVITE_METHODS:
        raise ValueError(f"Unsupported iTIP method {method!r}; use REQUEST or CANCEL.")
    studio = Studio.get()
    event = booking_event(booking, audience=audience, studio=studio, stamp=timezone.now())
    if method == "CANCEL":
        event["status"] = icalendar.vText("CANCELLED")
    organizer_email = studio.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = icalendar.vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = icalendar.vText(studio.name)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{booking.client.user.email}")
    attendee.params.update(
        {
            "cn": icalendar.vText(booking.client.user.name),
            "role": icalendar.vText("REQ-PARTICIPANT"),
            "partstat": icalendar.vText("ACCEPTED"),
            "rsvp": icalendar.vText("FALSE"),
        }
    )
    event.add("attendee", attendee)
    cal = new_calendar(method=method)
    cal.add_component(event)
    return cal.to_ical()


def invite_attachment(booking: Booking, method: str = "REQUEST") -> MIMEText:
    """invite_ics as a MIME part for EmailMessage.attach(): Outlook needs `method=` on the
    Content-Type to treat it as an invitation rather than a file."""
    method = method.upper()
    part = MIMEText(invite_ics(booking, method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def _queue_push(booking_id: int) -> None:
    enqueue("bookings.tasks_calendars.booking_push_calendars_task", booking_id)


def calendar_booking_changed(booking: Booking) -> None:
    """Queue pushing this booking to its specialist's CalDAV calendars once the transaction
    commits. Never raises for a calendar: a booking must not fail because one is down."""
    # Raw SQL (every booking asks): the specialist's active CalDAV calendars that take bookings,
    # and any calendar this booking was pushed to (moved to another specialist: remove it there).
    targets = sql.rows(
        f"SELECT 1 FROM {sql.table(CalendarConnection)} c WHERE (c.specialist_id = %s "
        "AND c.kind = %s AND c.is_active = %s AND c.push_bookings = %s) OR EXISTS (SELECT 1 "
        f"FROM {sql.table(CalendarPush)} p WHERE p.connection_id = c.id AND p.booking_id = %s)"
        " LIMIT 1",
        [booking.specialist_id, CalendarConnection.Kind.CALDAV, True, True, booking.pk],
    )
    if not targets:
        return
    # delay_on_commit, made robust: if the broker is unreachable the booking still stands
    # (the error is logged) and the periodic sync pushes it later.
    transaction.on_commit(partial(_queue_push, booking.pk), robust=True)
