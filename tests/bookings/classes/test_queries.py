"""Booking a class place runs a bounded number of queries: a regression guard, as for a
one-to-one booking (tests/bookings/test_booking_queries.py)."""

import pytest

pytestmark = pytest.mark.django_db

CLASS_PLACE = 26  # today's count on both databases, inside the test's transaction


def test_a_guests_class_place_runs_a_bounded_number_of_queries(
    api, make_class, django_assert_max_num_queries
):
    occurrence = make_class(capacity=8)
    with django_assert_max_num_queries(CLASS_PLACE):
        response = api.post(
            f"/api/classes/{occurrence.pk}/book/",
            {"name": "Gail Guest", "email": "gail@example.org"},
            format="json",
        )
    assert response.status_code == 201, response.json()
    booking = occurrence.bookings.get()
    assert booking.reminders.count() == 3 and booking.events.count() == 1
    assert booking.client.care_team.filter(specialist=occurrence.instructor).exists()
