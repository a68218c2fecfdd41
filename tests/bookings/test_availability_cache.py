"""Availability answers are reused, and never outlive what they were computed from."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection as db_connection
from django.test.utils import CaptureQueriesContext

from bookings import rules, services
from bookings.calendars.busy_import import BusyInterval, busy_times_replace
from bookings.calendars.connections import calendar_connection_remove
from bookings.models import Booking, CalendarConnection
from tests import factories
from tests.fixtures.workers import free_port, run_django

pytestmark = pytest.mark.django_db
DAY = {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02"}
TEN = "2026-06-02T10:00:00-04:00"  # Tuesday 10:00 New York


def ask(api, **params):
    response = api.get("/api/availability/", {**DAY, **params})
    assert response.status_code == 200, response.content
    return response


def starts(api, **params) -> list[str]:
    return [slot["start"] for slot in ask(api, **params).json()["slots"]]


def test_a_repeated_question_is_answered_from_the_cache(api, desk, monday):
    first, second = ask(api), ask(api)
    assert first["Cache-Status"] == "tonic; fwd=miss"
    assert second["Cache-Status"] == "tonic; hit"
    assert second.content == first.content
    assert second["Content-Type"] == "application/json"
    assert ask(api, tz="Asia/Tokyo")["Cache-Status"] == "tonic; fwd=miss"  # another question


def test_a_booking_takes_its_slot_out_of_a_cached_answer_at_once(api, desk, monday, guest_booking):
    assert TEN in starts(api)
    made = guest_booking(start=TEN)
    assert made.status_code == 201
    assert TEN not in starts(api)
    cancelled = api.post(
        f"/api/bookings/{made.json()['id']}/cancel/", {"token": made.json()["manage_token"]}
    )
    assert cancelled.status_code == 200
    assert TEN in starts(api)


def test_a_hold_that_expires_frees_its_slot_once_the_release_job_runs(api, desk, monday):
    held = factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.consultation,
        start=datetime(2026, 6, 2, 14, 0, tzinfo=UTC),
        status=Booking.Status.HELD,
        hold_expires_at=monday + timedelta(minutes=15),
    )
    assert TEN not in starts(api)
    services.booking_expire_hold(booking=held, now=monday + timedelta(minutes=16))
    assert TEN in starts(api)


def test_working_hours_and_names_changed_by_staff_show_at_once(api, desk, monday):
    owner = factories.UserFactory(role="owner")
    assert "2026-06-02T18:00:00-04:00" not in starts(api)
    rules.weekly_hours_add(
        by=owner, specialist=desk.specialist, weekday=1, start=time(18), end=time(19)
    )
    assert "2026-06-02T18:00:00-04:00" in starts(api)

    user = desk.specialist.user
    user.first_name, user.last_name = "Rosa", "Quinn"
    user.save()
    assert {s["specialist_name"] for s in ask(api).json()["slots"]} == {"Rosa Quinn"}


def test_a_cached_answer_drops_slots_that_fall_inside_the_notice(
    api, desk, monday, time_machine, settings
):
    settings.AVAILABILITY_CACHE_SECONDS = 2 * 24 * 3600  # only the notice can age it here
    desk.studio.min_notice_hours = 2
    desk.studio.save()
    assert starts(api)[0] == "2026-06-02T09:00:00-04:00"
    # Tuesday 07:10 New York: 09:00 is now inside the two hours' notice, 09:15 is not.
    time_machine.move_to(datetime(2026, 6, 2, 11, 10, tzinfo=UTC), tick=False)
    response = ask(api)
    assert response["Cache-Status"] == "tonic; fwd=miss"
    assert response.json()["slots"][0]["start"] == "2026-06-02T09:15:00-04:00"


def test_a_cached_answer_is_recomputed_after_its_maximum_age(
    api, desk, monday, time_machine, settings
):
    settings.AVAILABILITY_CACHE_SECONDS = 60
    ask(api)
    time_machine.move_to(monday + timedelta(seconds=59), tick=False)
    assert ask(api)["Cache-Status"] == "tonic; hit"
    time_machine.move_to(monday + timedelta(seconds=61), tick=False)
    assert ask(api)["Cache-Status"] == "tonic; fwd=miss"


def test_the_cache_can_be_turned_off(api, desk, monday, settings):
    settings.AVAILABILITY_CACHE_SECONDS = 0
    ask(api)
    assert ask(api)["Cache-Status"] == "tonic; fwd=miss"


@pytest.mark.django_db(transaction=True)
def test_a_change_made_by_another_process_shows_at_once(api, desk, monday):
    """A second web worker (or a job) closes the studio on Tuesday morning: this process's
    cached answer is dropped, because the cache and its generation are shared."""
    assert TEN in starts(api)
    run_django(
        "from datetime import datetime, UTC\n"
        "from bookings.models import Closure\n"
        "Closure.objects.create(start=datetime(2026, 6, 2, 13, tzinfo=UTC),"
        " end=datetime(2026, 6, 2, 16, tzinfo=UTC), reason='Flood')\n"
    )
    after = starts(api)
    assert TEN not in after and "2026-06-02T12:00:00-04:00" in after


def _busy(n: int, day: int) -> set[BusyInterval]:
    start = datetime(2026, 6, day, 13, tzinfo=UTC)
    return {
        BusyInterval(f"e{i}", start + timedelta(minutes=i), start + timedelta(minutes=i + 1))
        for i in range(n)
    }


def test_a_calendar_sync_invalidates_once_however_many_busy_times_it_replaces(desk):
    """Every replaced row sends a signal; the cache is told once per transaction."""
    connection = CalendarConnection.objects.create(
        specialist=desk.specialist, kind="ics", url="https://calendar.example/a.ics"
    )
    counts = []
    for n in (5, 50):
        busy_times_replace(connection=connection, intervals=_busy(n, 2))
        with CaptureQueriesContext(db_connection) as queries:
            busy_times_replace(connection=connection, intervals=_busy(n, 3))  # all replaced
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_cache_that_is_down_fails_neither_availability_nor_booking(
    api, desk, monday, guest_booking, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "availability": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        },
    }
    assert ask(api)["Cache-Status"] == "tonic; fwd=miss"
    assert TEN in starts(api)
    assert guest_booking(start=TEN).status_code == 201
    assert TEN not in starts(api)


def test_removing_a_calendar_frees_its_busy_time_in_a_cached_answer(api, desk, monday):
    connection = CalendarConnection.objects.create(
        specialist=desk.specialist, kind="ics", url="https://calendar.example/a.ics"
    )
    dentist = BusyInterval(
        "dentist", datetime(2026, 6, 2, 14, tzinfo=UTC), datetime(2026, 6, 2, 15, tzinfo=UTC)
    )
    busy_times_replace(connection=connection, intervals={dentist})
    assert TEN not in starts(api)
    calendar_connection_remove(connection=connection)
    assert TEN in starts(api)
