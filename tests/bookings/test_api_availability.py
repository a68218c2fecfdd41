"""GET /api/availability/: free slots in the caller's zone, and its 400s."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import BusyTime, Closure, DateOverride
from tests import factories

pytestmark = pytest.mark.django_db


def slots(api, **params):
    query = {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02", **params}
    response = api.get("/api/availability/", query)
    assert response.status_code == 200, response.json()
    return response.json()


def starts(body):
    return [slot["start"] for slot in body["slots"]]


def test_slots_come_in_the_studio_zone_by_default(api, desk, monday):
    body = slots(api)
    assert body["timezone"] == "America/New_York"
    assert starts(body)[0] == "2026-06-02T09:00:00-04:00"
    assert starts(body)[-1] == "2026-06-02T16:30:00-04:00"
    assert len(body["slots"]) == 31
    assert body["slots"][0]["end"] == "2026-06-02T09:30:00-04:00"
    assert body["slots"][0]["specialist"] == desk.specialist.pk


def test_slots_come_in_the_asked_zone_with_dates_read_in_that_zone(api, desk, monday):
    body = slots(api, tz="Asia/Tokyo", start="2026-06-03", end="2026-06-03")
    assert body["timezone"] == "Asia/Tokyo"
    # Tuesday 09:00-17:00 in New York is Wednesday 22:00-06:00 in Tokyo; the Tokyo date
    # 3 June holds Tuesday's evening slots and the start of Wednesday's NY morning is 4 June.
    assert starts(body)[0] == "2026-06-03T00:00:00+09:00"
    assert starts(body)[-1] == "2026-06-03T23:45:00+09:00"
    assert all(s.startswith("2026-06-03T") for s in starts(body))


def test_end_date_is_inclusive(api, desk, monday):
    body = slots(api, start="2026-06-02", end="2026-06-03")
    days = {s[:10] for s in starts(body)}
    assert days == {"2026-06-02", "2026-06-03"}


def test_min_notice_hides_the_next_hours(api, desk, monday):
    # Monday 08:00 + 12 h notice: nothing on Monday at all.
    assert slots(api, start="2026-06-01", end="2026-06-01")["slots"] == []
    desk.studio.min_notice_hours = 2
    desk.studio.save()
    assert starts(slots(api, start="2026-06-01", end="2026-06-01"))[0] == (
        "2026-06-01T10:00:00-04:00"
    )


def test_horizon_hides_far_dates(api, desk, monday):
    desk.studio.booking_horizon_days = 8  # until Tuesday 9 June, 08:00
    desk.studio.save()
    assert slots(api, start="2026-06-08", end="2026-06-08")["slots"]
    assert slots(api, start="2026-06-09", end="2026-06-09")["slots"] == []


def test_confirmed_and_unexpired_held_bookings_take_their_blocked_time(api, desk, monday):
    nine = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.session,
        start=nine,
        blocked_end=nine + timedelta(minutes=60),  # 55 min + 5 min buffer
    )
    factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.consultation,
        start=nine + timedelta(hours=3),
        status="held",
        hold_expires_at=monday + timedelta(minutes=10),
    )
    taken = set(starts(slots(api)))
    assert "2026-06-02T09:30:00-04:00" not in taken
    assert "2026-06-02T10:00:00-04:00" in taken  # the buffer ends at 10:00
    assert "2026-06-02T08:30:00-04:00" not in taken
    assert "2026-06-02T11:45:00-04:00" not in taken  # would run into the 12:00 hold
    assert "2026-06-02T12:00:00-04:00" not in taken
    assert "2026-06-02T12:30:00-04:00" in taken


def test_expired_holds_and_cancelled_bookings_do_not_take_time(api, desk, monday):
    nine = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.consultation,
        start=nine,
        status="held",
        hold_expires_at=monday - timedelta(minutes=1),
    )
    factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.consultation,
        start=nine + timedelta(hours=1),
        status="cancelled",
    )
    taken = set(starts(slots(api)))
    assert {"2026-06-02T09:00:00-04:00", "2026-06-02T10:00:00-04:00"} <= taken


def test_busy_times_closures_and_days_off_take_time(api, desk, monday):
    BusyTime.objects.create(
        specialist=desk.specialist,
        start=datetime(2026, 6, 2, 14, 0, tzinfo=UTC),
        end=datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
    )
    Closure.objects.create(
        start=datetime(2026, 6, 3, 4, 0, tzinfo=UTC),
        end=datetime(2026, 6, 4, 4, 0, tzinfo=UTC),
        reason="Holiday",
    )
    DateOverride.objects.create(specialist=desk.specialist, date=date(2026, 6, 4), kind="blocked")
    body = slots(api, start="2026-06-02", end="2026-06-05")
    tuesday = [s for s in starts(body) if s.startswith("2026-06-02")]
    assert "2026-06-02T10:00:00-04:00" not in tuesday
    assert "2026-06-02T09:45:00-04:00" not in tuesday  # would run into 10:00
    assert "2026-06-02T09:30:00-04:00" in tuesday  # ends as it starts
    assert "2026-06-02T11:00:00-04:00" in tuesday
    days = {s[:10] for s in starts(body)}
    assert days == {"2026-06-02", "2026-06-05"}


def test_extra_hours_open_a_saturday(api, desk, monday):
    DateOverride.objects.create(
        specialist=desk.specialist,
        date=date(2026, 6, 6),
        kind="extra",
        start="10:00",
        end="12:00",
    )
    body = slots(api, start="2026-06-06", end="2026-06-07")
    assert starts(body)[0] == "2026-06-06T10:00:00-04:00"
    assert starts(body)[-1] == "2026-06-06T11:30:00-04:00"


def test_without_specialist_every_offering_specialist_is_merged(api, desk, monday):
    other = factories.SpecialistFactory(timezone="Europe/London")
    factories.weekday_hours(other, start="09:00", end="10:00")
    desk.consultation.specialists.add(other)
    body = slots(api)
    london_nine = "2026-06-02T04:00:00-04:00"
    assert starts(body)[0] == london_nine
    assert {s["specialist"] for s in body["slots"]} == {desk.specialist.pk, other.pk}
    only_other = slots(api, specialist=other.pk)
    assert {s["specialist"] for s in only_other["slots"]} == {other.pk}
    assert starts(body) == sorted(starts(body))


def test_names_come_from_the_account_and_inactive_specialists_are_not_offered(api, desk, monday):
    other = factories.SpecialistFactory(user__first_name="Ana", user__last_name="Lima")
    factories.weekday_hours(other, start="09:00", end="10:00")
    desk.consultation.specialists.add(other)
    names = {s["specialist"]: s["specialist_name"] for s in slots(api)["slots"]}
    assert names[other.pk] == "Ana Lima"
    assert names[desk.specialist.pk] == desk.specialist.user.name
    other.is_active = False
    other.save()
    assert {s["specialist"] for s in slots(api)["slots"]} == {desk.specialist.pk}
    other.is_active = True
    other.save()
    other.user.is_active = False
    other.user.save()
    assert {s["specialist"] for s in slots(api)["slots"]} == {desk.specialist.pk}
    response = api.get(
        "/api/availability/",
        {
            "service": "consultation",
            "start": "2026-06-02",
            "end": "2026-06-02",
            "specialist": other.pk,
        },
    )
    assert response.status_code == 400
    assert "specialist" in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"service": "nope"}, "service"),
        ({"tz": "Mars/Olympus"}, "tz"),
        ({"tz": "../../etc/passwd"}, "tz"),
        ({"start": "2026-06-05", "end": "2026-06-04"}, "end"),
        ({"start": "2026-06-01", "end": "2026-08-02"}, "end"),  # 63 days
        ({"start": "June"}, "start"),
        ({"specialist": "999999"}, "specialist"),
    ],
)
def test_bad_queries_are_400_naming_the_field(api, desk, monday, params, field):
    query = {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02", **params}
    response = api.get("/api/availability/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_sixty_two_days_are_allowed(api, desk, monday):
    response = api.get(
        "/api/availability/",
        {"service": "consultation", "start": "2026-06-01", "end": "2026-08-01"},
    )
    assert response.status_code == 200


def test_missing_parameters_are_400(api, desk):
    response = api.get("/api/availability/")
    assert response.status_code == 400
    assert {"service", "start", "end"} <= set(response.json())


def _fill(specialist, service, count, first):
    """count bookings of one specialist, one every two hours from first."""
    for i in range(count):
        factories.BookingFactory(
            specialist=specialist, service=service, start=first + timedelta(hours=2 * i)
        )


def _availability(api, specialist, end):
    query = {"service": "consultation", "start": "2026-06-01", "end": end, "specialist": specialist}
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/availability/", query)
    assert response.status_code == 200
    return response.json()["slots"], len(queries)


def test_availability_query_count_does_not_grow_with_range_or_bookings(api, desk, monday, settings):
    settings.AVAILABILITY_CACHE_SECONDS = 0  # count the computation, not the cache
    first = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    _fill(desk.specialist, desk.consultation, 10, first)
    week, small = _availability(api, desk.specialist.pk, "2026-06-07")
    # 300 bookings in all, spread over the month.
    _fill(desk.specialist, desk.consultation, 290, first + timedelta(hours=20))
    month, large = _availability(api, desk.specialist.pk, "2026-07-01")
    assert len(month) > len(week) > 0
    # service, studio, specialists, weekly hours, date overrides, every busy span (calendars,
    # classes, bookings, closures) in one UNION ALL.
    assert large == small == 6


def test_a_manage_token_frees_its_own_booking_time_for_rescheduling(api, desk, monday):
    booking = factories.BookingFactory(
        specialist=desk.specialist, start=datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    )
    assert "2026-06-02T09:15:00-04:00" not in starts(slots(api))
    assert "2026-06-02T09:15:00-04:00" in starts(slots(api, token=booking.manage_token))
    response = api.get(
        "/api/availability/",
        {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02", "token": "nope"},
    )
    assert response.status_code == 400 and "token" in response.json()
