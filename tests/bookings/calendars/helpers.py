"""Helpers for the calendar tests: drive a booking's life the way the booking engine does
(change the row, bump SEQUENCE, call the hook inside the transaction) and parse ICS twice."""

from datetime import datetime, timedelta

import icalendar
import vobject
from django.db import transaction
from django.utils import timezone

from accounts.models import Studio
from bookings.calendars.events import calendar_booking_changed
from bookings.models import Booking
from tests import factories

STUDIO_ADDRESS = "120 Market Street, Chattanooga, TN 37402"


def studio() -> Studio:
    s = Studio.get()
    s.name, s.address, s.phone, s.email = (
        "Pilates Tonic",
        STUDIO_ADDRESS,
        "423.702.5233",
        "info@pilatestonic.example",
    )
    s.save()
    return s


def specialist(first="Sydney", last="Reed", **kw):
    return factories.SpecialistFactory(user__first_name=first, user__last_name=last, **kw)


def client(first="Hannah", last="Client", **kw):
    return factories.ClientFactory(user__first_name=first, user__last_name=last, **kw)


def booking(**kw) -> Booking:
    kw.setdefault("service", factories.ServiceFactory(name="Private session", slug="private"))
    start = kw.pop("start", None)
    if start is not None:
        kw["start"] = start
        kw.setdefault("end", start + kw["service"].duration)
        kw.setdefault("blocked_start", kw["start"])
        kw.setdefault("blocked_end", kw["end"])
    b = factories.BookingFactory(**kw)
    with transaction.atomic():
        calendar_booking_changed(b)
    return b


def _change(b: Booking, **fields) -> Booking:
    with transaction.atomic():
        b = Booking.objects.select_for_update().get(pk=b.pk)
        for name, value in fields.items():
            setattr(b, name, value)
        b.sequence += 1
        b.save()
        calendar_booking_changed(b)
    return b


def reschedule(b: Booking, start: datetime) -> Booking:
    end = start + (b.end - b.start)
    return _change(b, start=start, end=end, blocked_start=start, blocked_end=end)


def cancel(b: Booking) -> Booking:
    return _change(b, status=Booking.Status.CANCELLED, cancelled_at=timezone.now())


def parse_both(body: bytes):
    """(icalendar.Calendar, vobject calendar): two independent parsers must accept it."""
    ical = icalendar.Calendar.from_ical(body)
    vcal = vobject.readOne(body.decode("utf-8"))
    return ical, vcal


def vevents(ical: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in ical.walk("VEVENT")}


def vobject_events(vcal) -> dict[str, object]:
    return {e.uid.value: e for e in getattr(vcal, "vevent_list", [])}


def next_weekday(weekday: int, hour: int, tz, days_ahead: int = 3) -> datetime:
    """The next given weekday at least `days_ahead` days away, at `hour`:00 in `tz`."""
    day = timezone.now().astimezone(tz).date() + timedelta(days=days_ahead)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def busy_ics(days_ahead: int = 2) -> bytes:
    """An ICS calendar with one busy hour, `days_ahead` days from now at 10:00 UTC."""
    start = (timezone.now() + timedelta(days=days_ahead)).strftime("%Y%m%dT100000Z")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:busy-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{start}\r\nDURATION:PT1H\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def remote_events(calendar) -> dict[str, icalendar.Event]:
    found = {}
    for obj in calendar.events():
        for event in icalendar.Calendar.from_ical(obj.data).walk("VEVENT"):
            found[str(event["UID"])] = event
    return found
