"""Reading busy times out of iCalendar data (the pure part of the import)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bookings.calendars.busy_import import FetchError, busy_intervals, parse_calendars

NY = ZoneInfo("America/New_York")
WINDOW = {"start": datetime(2027, 3, 1, tzinfo=UTC), "end": datetime(2027, 4, 1, tzinfo=UTC)}


def calendar(*events: str) -> bytes:
    body = "\ufeffBEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    for event in events:
        body += "BEGIN:VEVENT\r\nDTSTAMP:20270101T000000Z\r\n" + event.strip().replace("\n", "\r\n")
        body += "\r\nEND:VEVENT\r\n"
    return (body + "END:VCALENDAR\r\n").encode()


def busy(data: bytes, **kw):
    return sorted(busy_intervals(parse_calendars(data), tz=NY, **WINDOW, **kw))


def test_busy_floating_and_all_day_events_are_read_in_the_specialists_zone():
    found = busy(
        calendar(
            "UID:floating\nDTSTART:20270310T090000\nDTEND:20270310T100000",
            "UID:holiday\nDTSTART;VALUE=DATE:20270316",
        )
    )
    assert [(b.external_uid, b.start, b.end) for b in found] == [
        ("floating", datetime(2027, 3, 10, 14, tzinfo=UTC), datetime(2027, 3, 10, 15, tzinfo=UTC)),
        ("holiday", datetime(2027, 3, 16, 4, tzinfo=UTC), datetime(2027, 3, 17, 4, tzinfo=UTC)),
    ]


def test_busy_skips_free_cancelled_instant_and_tonic_events():
    found = busy(
        calendar(
            "UID:free\nTRANSP:TRANSPARENT\nDTSTART:20270310T150000Z\nDURATION:PT1H",
            "UID:called-off\nSTATUS:CANCELLED\nDTSTART:20270310T150000Z\nDURATION:PT1H",
            "UID:reminder\nDTSTART:20270310T150000Z",
            "UID:ours@tonic\nX-TONIC-BOOKING:TRUE\nDTSTART:20270311T150000Z\nDURATION:PT1H",
            "UID:known@tonic\nDTSTART:20270312T150000Z\nDURATION:PT1H",
            "UID:real\nDTSTART:20270313T150000Z\nDURATION:PT1H",
        ),
        skip_uids={"known@tonic"},
    )
    assert [b.external_uid for b in found] == ["real"]


def test_busy_moved_occurrence_of_a_series_is_busy_at_its_new_time():
    found = busy(
        calendar(
            "UID:class\nDTSTART;TZID=America/New_York:20270301T100000\nDURATION:PT1H\n"
            "RRULE:FREQ=WEEKLY;COUNT=3",
            "UID:class\nRECURRENCE-ID;TZID=America/New_York:20270308T100000\n"
            "DTSTART;TZID=America/New_York:20270309T160000\nDURATION:PT1H",
        )
    )
    assert [b.start.astimezone(NY).strftime("%a %d %H:%M") for b in found] == [
        "Mon 01 10:00",
        "Tue 09 16:00",
        "Mon 15 10:00",
    ]


def test_busy_rejects_what_is_not_a_calendar():
    with pytest.raises(FetchError):
        parse_calendars(b"<!doctype html><title>Sign in</title>")
