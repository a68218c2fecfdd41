"""What a reminder says and how it leaves: e-mail through Django's mail (django-anymail when
ANYMAIL_ESP is set, the console by default) or SMS through bookings.sms.

Subjects carry the studio and the time only, never the service name or anything about health.
Times are shown in the reader's zone: the client's for client reminders, the specialist's for
their agenda, with the zone's abbreviation (EST/EDT) so a DST change cannot mislead.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string

from accounts import access
from accounts.models import Studio
from bookings.calendars.events import BUSY_TEXT
from bookings.links import manage_url
from bookings.models import Reminder
from bookings.reminders.agenda import agenda_bookings
from bookings.reminders.kinds import AGENDA, FOLLOWUP, zone
from bookings.sms import send_sms

_batch = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """Within it, every e-mail goes through one open mail connection and the studio is read
    once (a due job sends a whole batch of reminders this way)."""
    connection = get_connection(fail_silently=False)
    _batch.connection, _batch.studio = connection, Studio.get()
    try:
        yield
    finally:
        _batch.connection = _batch.studio = None
        connection.close()


def _studio() -> Studio:
    return getattr(_batch, "studio", None) or Studio.get()


def _clock(local: datetime) -> str:
    return local.strftime("%I:%M %p").lstrip("0")


def when_long(dt: datetime, tz: str) -> str:
    """'Sunday 1 November 2026 at 1:30 AM EST'."""
    local = dt.astimezone(zone(tz))
    return f"{local:%A} {local.day} {local:%B %Y} at {_clock(local)} {local.tzname()}"


def when_short(dt: datetime, tz: str) -> str:
    """'Sun 1 Nov, 1:30 AM EST'."""
    local = dt.astimezone(zone(tz))
    return f"{local:%a} {local.day} {local:%b}, {_clock(local)} {local.tzname()}"


def _url(path: str, **query) -> str:
    return f"{settings.SITE_URL}{path}" + (f"?{urlencode(query)}" if query else "")


def _email(row: Reminder, *, to: str, subject: str, template: str, context: dict) -> None:
    studio = _studio()
    body = render_to_string(template, {"studio": studio, **context})
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[studio.email] if studio.email else None,
        # X-Tonic-Reminder lets support trace a message to its row; it holds only the row id.
        headers={"X-Tonic-Reminder": str(row.pk), "Auto-Submitted": "auto-generated"},
        connection=getattr(_batch, "connection", None),
    )
    if message.connection is not None:
        # Opened on first use and kept open for the batch (a failed open fails this message
        # only; the next one tries again).
        message.connection.open()
    message.send(fail_silently=False)


def _client_context(row: Reminder) -> dict:
    booking = row.booking
    studio = _studio()
    return {
        "first_name": booking.client.user.first_name or "there",
        "service": booking.service.name,
        "specialist": booking.specialist.user.name,
        "duration": int((booking.end - booking.start).total_seconds() // 60),
        "when": when_long(booking.start, booking.client.timezone),
        "manage_url": manage_url(booking),
        "window": studio.cancellation_window_hours,
    }


def deliver(row: Reminder) -> None:
    """Send one reminder row by its channel. Raises whatever the backend raises."""
    booking = row.booking
    studio = _studio()
    if row.kind == AGENDA:
        _deliver_agenda(row)
    elif row.kind == FOLLOWUP:
        tz = booking.client.timezone
        local = booking.start.astimezone(zone(tz))
        _email(
            row,
            to=booking.client.user.email,
            subject=f"Thank you for your session at {studio.name}",
            template="bookings/reminders/email_followup.txt",
            context={
                "first_name": booking.client.user.first_name or "there",
                "specialist": booking.specialist.user.name,
                "day": f"{local:%A} {local.day} {local:%B}",
                "book_url": _url("/book/", service=booking.service.slug),
                "portal_url": _url("/portal/"),
            },
        )
    elif row.channel == Reminder.Channel.SMS:
        context = _client_context(row)
        context["when"] = when_short(booking.start, booking.client.timezone)
        send_sms(
            to=booking.client.phone,
            body=render_to_string(
                "bookings/reminders/sms_before.txt", {"studio": studio, **context}
            ),
        )
    else:
        _email(
            row,
            to=booking.client.user.email,
            subject=(
                f"Reminder: your session at {studio.name}, "
                f"{when_short(booking.start, booking.client.timezone)}"
            ),
            template="bookings/reminders/email_before.txt",
            context=_client_context(row),
        )


def _deliver_agenda(row: Reminder) -> None:
    specialist = row.booking.specialist
    tz = zone(specialist.timezone)
    day = row.due_at.astimezone(tz)
    bookings = list(agenda_bookings(row))
    # Another care team's client (accounts/access.py): the time is booked, nothing more.
    seen = access.visible_client_ids(specialist.user, {b.client_id for b in bookings})
    items = [
        {
            "time": f"{_clock(b.start.astimezone(tz))}–{_clock(b.end.astimezone(tz))}",
            "client": b.client.user.name if b.client_id in seen else BUSY_TEXT,
            "service": b.service.name if b.client_id in seen else "",
        }
        for b in bookings
    ]
    count = f"{len(items)} session{'s' if len(items) != 1 else ''}"
    _email(
        row,
        to=specialist.user.email,
        subject=f"Your agenda for {day:%a} {day.day} {day:%b}: {count}",
        template="bookings/reminders/email_agenda.txt",
        context={
            "first_name": specialist.user.first_name or specialist.user.name,
            "day": f"{day:%A} {day.day} {day:%B %Y}",
            "zone": specialist.timezone,
            "items": items,
            "workspace_url": _url("/workspace/"),
        },
    )
