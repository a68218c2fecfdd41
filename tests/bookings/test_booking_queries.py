"""Booking a slot runs a bounded number of queries (issue 17: a free booking under 15 ms of
server CPU, most of which went into building queries). A regression guard: the bounds are
today's counts (the same on SQLite and PostgreSQL, which locks the specialist's row in the
query that reads it); the CPU figures are in the benchmark (tests/bench/bench_booking_cpu.py)."""

from datetime import UTC, datetime

import pytest

from bookings.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db

TUE_9, TUE_10 = "2026-06-02T09:00:00-04:00", "2026-06-02T10:00:00-04:00"
# Inside the test's transaction: savepoints instead of BEGIN/COMMIT, no after-commit work.
NEW_GUEST, RETURNING = 30, 25


def test_a_new_guests_booking_runs_a_bounded_number_of_queries(
    guest_booking, desk, monday, django_assert_max_num_queries
):
    for hour in range(15, 20):  # other bookings that day (11:00-15:00 New York) add nothing
        factories.BookingFactory(
            specialist=desk.specialist,
            service=desk.consultation,
            start=datetime(2026, 6, 2, hour, tzinfo=UTC),
        )
    with django_assert_max_num_queries(NEW_GUEST):
        response = guest_booking(specialist=desk.specialist.pk, start=TUE_9)
    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.reminders.count() == 3 and booking.events.count() == 1
    assert booking.client.care_team.filter(specialist=desk.specialist).exists()


def test_a_returning_clients_booking_runs_a_bounded_number_of_queries(
    guest_booking, desk, monday, django_assert_max_num_queries
):
    assert guest_booking(specialist=desk.specialist.pk, start=TUE_9).status_code == 201
    with django_assert_max_num_queries(RETURNING):
        response = guest_booking(specialist=desk.specialist.pk, start=TUE_10)
    assert response.status_code == 201, response.json()
