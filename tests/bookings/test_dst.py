"""Daylight-saving changes: a booking made on one side of a change keeps its local time on the
other, in the API, on the manage page and in e-mails."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from bookings.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db

NY = ZoneInfo("America/New_York")


@pytest.fixture
def before_spring_forward(time_machine):
    """Monday 2 March 2026, 07:00 EST: New York springs forward on Sunday 8 March."""
    time_machine.move_to(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False)


def availability(api, day, tz, specialist=None):
    query = {"service": "consultation", "start": day, "end": day, "tz": tz}
    if specialist:
        query["specialist"] = specialist
    response = api.get("/api/availability/", query)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


def test_working_hours_stay_nine_to_five_local_across_spring_forward(
    api, desk, before_spring_forward
):
    before = availability(api, "2026-03-06", "America/New_York")
    after = availability(api, "2026-03-09", "America/New_York")
    assert (before[0], before[-1]) == ("2026-03-06T09:00:00-05:00", "2026-03-06T16:30:00-05:00")
    assert (after[0], after[-1]) == ("2026-03-09T09:00:00-04:00", "2026-03-09T16:30:00-04:00")
    # Seen from London, which changes three weeks later, the same 09:00 moves an hour earlier.
    assert availability(api, "2026-03-06", "Europe/London")[0] == "2026-03-06T14:00:00+00:00"
    assert availability(api, "2026-03-09", "Europe/London")[0] == "2026-03-09T13:00:00+00:00"


def test_a_booking_made_before_the_change_keeps_its_local_time(
    api, guest_booking, desk, before_spring_forward, django_capture_on_commit_callbacks
):
    # A London guest books what they see as 14:00 GMT on 9 March: 10:00 EDT in New York.
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_booking(start="2026-03-09T14:00:00+00:00", tz="Europe/London")
    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.start.astimezone(NY).strftime("%H:%M %Z") == "10:00 EDT"
    to_specialist = next(m for m in mail.outbox if m.to == [desk.specialist.user.email])
    assert "10:00 AM EDT" in to_specialist.subject
    to_guest = next(m for m in mail.outbox if m.to == ["gail@example.org"])
    assert "2:00 PM GMT" in to_guest.subject
    page = api.get(f"/bookings/manage/{booking.manage_token}/", {"tz": "America/New_York"})
    assert "Monday 9 March 2026, 10:00 AM EDT" in page.content.decode()


def test_rescheduling_across_the_change_keeps_the_wall_clock(
    api, guest_booking, desk, before_spring_forward
):
    booked = guest_booking(start="2026-03-06T10:00:00-05:00").json()
    response = api.post(
        f"/api/bookings/{booked['id']}/reschedule/",
        {"token": booked["manage_token"], "start": "2026-03-09T10:00:00-04:00"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    moved = datetime.fromisoformat(response.json()["start"])
    assert moved == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # was 15:00 UTC
    assert moved.astimezone(NY).hour == 10


def test_a_european_specialist_keeps_nine_oclock_across_fall_back(api, desk, time_machine):
    time_machine.move_to(datetime(2026, 10, 20, 6, 0, tzinfo=UTC), tick=False)
    berlin = factories.SpecialistFactory(timezone="Europe/Berlin")
    factories.weekday_hours(berlin)
    desk.consultation.specialists.add(berlin)
    before = availability(api, "2026-10-23", "Europe/Berlin", berlin.pk)
    after = availability(api, "2026-10-26", "Europe/Berlin", berlin.pk)
    assert before[0] == "2026-10-23T09:00:00+02:00"
    assert after[0] == "2026-10-26T09:00:00+01:00"
    # Between the European (25 Oct) and US (1 Nov) changes New York sees it an hour earlier.
    assert availability(api, "2026-10-26", "America/New_York", berlin.pk)[0] == (
        "2026-10-26T04:00:00-04:00"
    )
    response = api.post(
        "/api/bookings/",
        {
            "service": "consultation",
            "specialist": berlin.pk,
            "start": "2026-10-26T04:00:00-04:00",
            "name": "Nina",
            "email": "nina@example.org",
        },
        format="json",
    )
    assert response.status_code == 201
    start = Booking.objects.get(pk=response.json()["id"]).start
    assert start.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M %Z") == "09:00 CET"
