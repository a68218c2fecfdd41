"""Busy time imported from a specialist's own calendar takes its slots out of availability."""

from datetime import UTC, datetime

from bookings.calendars.connections import calendar_connection_create
from bookings.models import BusyTime

DAY = {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02"}
EVENT = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:dentist@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
    b"SUMMARY:Dentist\r\nDTSTART;TZID=America/New_York:20260602T100000\r\n"
    b"DTEND;TZID=America/New_York:20260602T110000\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def starts(api) -> list[str]:
    response = api.get("/api/availability/", DAY)
    assert response.status_code == 200, response.json()
    return [slot["start"] for slot in response.json()["slots"]]


def test_availability_drops_slots_overlapping_imported_busy_time(
    api, desk, monday, ics_server, django_capture_on_commit_callbacks
):
    before = starts(api)
    assert "2026-06-02T10:00:00-04:00" in before

    url = ics_server.publish(EVENT)
    with django_capture_on_commit_callbacks(execute=True):  # the sync job runs on commit
        connection = calendar_connection_create(specialist=desk.specialist, url=url, kind="ics")

    busy = BusyTime.objects.get(connection=connection)
    assert (busy.specialist, busy.start, busy.end) == (
        desk.specialist,
        datetime(2026, 6, 2, 14, 0, tzinfo=UTC),
        datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
    )
    after = starts(api)
    taken = {f"2026-06-02T{t}:00-04:00" for t in ("09:45", "10:00", "10:15", "10:30", "10:45")}
    assert taken <= set(before)
    assert taken.isdisjoint(after)  # overlap the dentist (30-minute consultation)
    assert set(before) - set(after) == taken  # and nothing else went
    assert "2026-06-02T09:30:00-04:00" in after and "2026-06-02T11:00:00-04:00" in after
