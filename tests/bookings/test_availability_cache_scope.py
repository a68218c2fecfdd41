"""A write drops only the cached availability answers it can change (issue 20): a booking for
one specialist leaves other specialists' and other days' answers cached, and a client that
already holds an answer gets 304 Not Modified until it changes. No cached answer can let an
overlapping booking through: creating one re-checks the slot under a lock."""

from datetime import UTC, datetime, time

import pytest

from accounts.models import Studio
from bookings import rules, services
from bookings.models import Booking, Closure
from tests import factories

pytestmark = pytest.mark.django_db
TUESDAY = {"service": "consultation", "start": "2026-06-02", "end": "2026-06-02"}
FRIDAY = {"service": "consultation", "start": "2026-06-05", "end": "2026-06-05"}
TEN = "2026-06-02T10:00:00-04:00"  # Tuesday 10:00 New York


@pytest.fixture
def pair(desk):
    """desk's specialist (A) and a second one (B) with the same hours and service."""
    other = factories.SpecialistFactory(timezone="America/New_York")
    factories.weekday_hours(other)
    desk.consultation.specialists.add(other)
    return desk.specialist, other


def ask(api, day=TUESDAY, specialist=None, **headers):
    params = {**day} if specialist is None else {**day, "specialist": specialist.pk}
    response = api.get("/api/availability/", params, **headers)
    assert response.status_code in (200, 304), response.content
    return response


def status(api, day=TUESDAY, specialist=None) -> str:
    return ask(api, day, specialist)["Cache-Status"]


def starts(response) -> list[str]:
    return [slot["start"] for slot in response.json()["slots"]]


def warm(api, pair) -> None:
    """Cache Tuesday and Friday, for A, B and both."""
    for day in (TUESDAY, FRIDAY):
        for who in (*pair, None):
            ask(api, day, who)


def test_a_booking_leaves_other_specialists_and_other_days_cached(api, pair, monday, guest_booking):
    a, b = pair
    warm(api, pair)
    made = guest_booking(start=TEN, specialist=a.pk)
    assert made.status_code == 201
    assert status(api, TUESDAY, b) == "tonic; hit"
    assert status(api, FRIDAY, a) == "tonic; hit"
    assert status(api, FRIDAY) == "tonic; hit"
    # What the booking changes is computed again, without its slot.
    fresh = ask(api, TUESDAY, a)
    assert fresh["Cache-Status"] == "tonic; fwd=miss" and TEN not in starts(fresh)
    both = ask(api, TUESDAY)
    assert both["Cache-Status"] == "tonic; fwd=miss"
    assert {s["specialist"] for s in both.json()["slots"] if s["start"] == TEN} == {b.pk}


def test_moving_a_booking_frees_the_day_it_left(api, pair, monday, guest_booking):
    a, _ = pair
    made = guest_booking(start=TEN, specialist=a.pk).json()
    assert TEN not in starts(ask(api, TUESDAY, a))
    friday_ten = "2026-06-05T10:00:00-04:00"
    assert friday_ten in starts(ask(api, FRIDAY, a))
    booking = Booking.objects.get(pk=made["id"])
    services.booking_reschedule(
        booking=booking, start=datetime(2026, 6, 5, 14, tzinfo=UTC), by=None
    )
    assert TEN in starts(ask(api, TUESDAY, a))
    assert friday_ten not in starts(ask(api, FRIDAY, a))


def test_working_hours_of_one_specialist_leave_the_others_cached(api, pair, monday):
    a, b = pair
    owner = factories.UserFactory(role="owner")  # a staff user: names show, so all drop
    warm(api, pair)
    rules.weekly_hours_add(by=owner, specialist=a, weekday=1, start=time(18), end=time(19))
    assert status(api, TUESDAY, b) == "tonic; hit"
    assert "2026-06-02T18:00:00-04:00" in starts(ask(api, TUESDAY, a))
    assert "2026-06-02T18:00:00-04:00" in starts(ask(api, TUESDAY))


def test_a_studio_wide_change_drops_every_answer(api, pair, monday):
    warm(api, pair)
    Closure.objects.create(
        start=datetime(2026, 6, 5, 13, tzinfo=UTC), end=datetime(2026, 6, 5, 14, tzinfo=UTC)
    )
    assert [status(api, TUESDAY, who) for who in (*pair, None)] == ["tonic; fwd=miss"] * 3
    studio = Studio.get()
    studio.min_notice_hours = 3
    studio.save()
    assert status(api, FRIDAY) == "tonic; fwd=miss"


def test_a_stale_answer_never_lets_an_overlapping_booking_through(
    api, desk, pair, monday, guest_booking
):
    """A booking moved behind the cache's back (update() sends no signal) leaves the cached
    answer stale: it still offers 10:00, and booking 10:00 is refused by the locked re-check."""
    a, _ = pair
    friday = factories.BookingFactory(
        specialist=a,
        service=desk.consultation,
        start=datetime(2026, 6, 5, 14, tzinfo=UTC),
        status=Booking.Status.CONFIRMED,
    )
    assert TEN in starts(ask(api, TUESDAY, a))
    ten, half_past = datetime(2026, 6, 2, 14, tzinfo=UTC), datetime(2026, 6, 2, 14, 30, tzinfo=UTC)
    Booking.objects.filter(pk=friday.pk).update(
        start=ten, end=half_past, blocked_start=ten, blocked_end=half_past
    )
    stale = ask(api, TUESDAY, a)
    assert stale["Cache-Status"] == "tonic; hit" and TEN in starts(stale)
    refused = guest_booking(start=TEN, specialist=a.pk)
    assert refused.status_code == 409, refused.content
    assert Booking.objects.filter(specialist=a).count() == 1


def test_a_client_holding_the_answer_gets_304_until_a_booking_changes_it(
    api, pair, monday, guest_booking
):
    a, b = pair
    first = ask(api, TUESDAY, a)
    etag = first["ETag"]
    assert etag.startswith('"') and first["Cache-Control"] == "no-cache"
    again = ask(api, TUESDAY, a, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Status"] == "tonic; hit"
    assert ask(api, TUESDAY, a, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    assert guest_booking(start=TEN, specialist=b.pk).status_code == 201  # not in A's answer
    assert ask(api, TUESDAY, a, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert guest_booking(start=TEN, specialist=a.pk).status_code == 201
    changed = ask(api, TUESDAY, a, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert TEN not in starts(changed)
