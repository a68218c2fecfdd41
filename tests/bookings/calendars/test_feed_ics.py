"""The fast feed VEVENT writer: byte-identical to icalendar's booking_event, parseable by both."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone
from icalendar.parser.string import _escape_char, _foldline

from accounts.models import Studio
from bookings.calendars.events import Audience, booking_event
from bookings.calendars.ics import escape_text, events_ics, fold
from bookings.models import Booking
from tests import factories
from tests.bookings.calendars import helpers as h

TRICKY = [
    "",
    "short",
    "x" * 74,
    "x" * 75,
    "y" * 300,
    "DESCRIPTION:" + "a" * 61 + "\\n" + "b" * 80,  # an escape on the 74-octet boundary
    "DESCRIPTION:" + "a" * 62 + "\\,tail" + "c" * 70,
    "SUMMARY:" + "^" * 90,
    "SUMMARY:Zoë Ångström-Ñúñez, Pilates privé " * 4,
    "LOCATION:" + "日本語の住所" * 20,
    "X:" + "é" * 36 + "\\;" + "ü" * 60,
]


@pytest.mark.parametrize("line", TRICKY)
def test_feed_ics_fold_matches_icalendar(line):
    assert fold(line) == _foldline(line)
    for physical in fold(line).split("\r\n"):
        assert len(physical.encode()) <= 75


@pytest.mark.parametrize(
    "text", ["plain", "a,b;c\\d", "one\ntwo\r\nthree\rfour", r"lit \N and \n", "é, ü; 日本"]
)
def test_feed_ics_escape_matches_icalendar(text):
    assert escape_text(text) == _escape_char(text)


@pytest.mark.django_db
@pytest.mark.parametrize("audience", [Audience.STUDIO, Audience.SPECIALIST, Audience.CLIENT])
@pytest.mark.parametrize("address", [h.STUDIO_ADDRESS, "", "Suite 4; Back\\door,\nLevel 2 " * 5])
def test_feed_ics_events_are_byte_identical_to_icalendar(audience, address):
    studio = h.studio()
    studio.address = address
    studio.save()
    studio = Studio.get()
    service = factories.ServiceFactory(
        name="Reformer, duet; with a very long name that forces folding — privé", slug="duet"
    )
    start = timezone.now().replace(microsecond=123456) + timedelta(days=2)
    spec = h.specialist("Zoë", "Ångström-Ñúñez")
    bookings = [
        h.booking(service=service, specialist=spec, start=start),
        h.cancel(h.booking(service=service, start=start + timedelta(hours=3))),
        h.booking(
            service=service,
            client=h.client("Ren\\ée", "O'Hara, Jr."),
            start=start + timedelta(days=1),
            status=Booking.Status.HELD,
            hold_expires_at=start + timedelta(days=3),
        ),
    ]
    bookings = list(
        Booking.objects.select_related("service", "specialist__user", "client__user").order_by("pk")
    )
    assert {b.status for b in bookings} >= {Booking.Status.CANCELLED, Booking.Status.HELD}
    expected = b"".join(
        booking_event(b, audience=audience, studio=studio).to_ical() for b in bookings
    )
    written = events_ics(bookings, audience=audience, studio=studio).encode()
    assert written == expected
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" + written + b"END:VCALENDAR\r\n"
    )
    ical, vcal = h.parse_both(body)
    events = h.vevents(ical)
    assert len(events) == 3 == len(h.vobject_events(vcal))
    first = events[bookings[0].uid]
    assert (
        str(first["summary"])
        == booking_event(bookings[0], audience=audience, studio=studio)["summary"]
    )
    if address:
        assert str(first["location"]) == address
    assert isinstance(first, icalendar.Event)
