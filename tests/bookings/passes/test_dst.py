"""Restore or forfeit at the cancellation window's edge, in the studio's zone across a clock
change. The window counts real hours (24 h = 86,400 s), as refunds do: across a change the
same wall-clock time the day before is 25 or 23 hours away."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Studio
from bookings import services
from bookings.passes.ledger import credit_consume
from bookings.passes.models import CreditEntry
from bookings.passes.selectors import credits_balance
from tests import factories

from .conftest import grant

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
SECOND = timedelta(seconds=1)


def before(moment: datetime, *, hours: int) -> datetime:
    """Real hours before `moment` (arithmetic on an aware datetime in its own zone would move
    the wall clock instead), shown in New York."""
    return (moment.astimezone(UTC) - timedelta(hours=hours)).astimezone(NY)


@pytest.fixture(autouse=True)
def studio_in_new_york(db):
    Studio.objects.update_or_create(
        pk=1, defaults={"timezone": "America/New_York", "cancellation_window_hours": 24}
    )


def cancel_at(client_profile, service, pack, *, start: datetime, now: datetime) -> bool:
    """Book `start` with a credit, cancel at `now` as the client; True if it was restored."""
    grant(client_profile, pack, credits=1, expires_in=timedelta(days=800))
    booking = factories.BookingFactory(
        client=client_profile, service=service, start=start, payment_method="credits"
    )
    credit_consume(booking=booking, by=None, now=now - timedelta(days=3))
    services.booking_cancel(booking=booking, by=client_profile.user, now=now)
    restored = CreditEntry.objects.filter(kind="restore", booking=booking).exists()
    assert credits_balance(client_id=client_profile.pk, now=now) == (1 if restored else 0)
    return restored


# Sunday 7 November 2027: New York falls back at 02:00 (EDT -> EST); the day is 25 hours long.
FALL_CLASS = datetime(2027, 11, 7, 9, 0, tzinfo=NY)  # 09:00 EST = 14:00 UTC


def test_dst_fall_back_one_second_before_the_edge_restores(client_profile, mat_class, pack):
    edge = before(FALL_CLASS, hours=24)
    assert edge.astimezone(NY).strftime("%a %H:%M %Z") == "Sat 10:00 EDT"  # not 09:00

    assert cancel_at(client_profile, mat_class, pack, start=FALL_CLASS, now=edge - SECOND)


def test_dst_fall_back_one_second_after_the_edge_forfeits(client_profile, mat_class, pack):
    edge = before(FALL_CLASS, hours=24)

    assert not cancel_at(client_profile, mat_class, pack, start=FALL_CLASS, now=edge + SECOND)


# Sunday 14 March 2027: New York springs forward at 02:00 (EST -> EDT); the day has 23 hours.
SPRING_CLASS = datetime(2027, 3, 14, 9, 0, tzinfo=NY)  # 09:00 EDT = 13:00 UTC


def test_dst_spring_forward_the_edge_is_an_hour_earlier_on_the_clock(
    client_profile, mat_class, pack
):
    edge = before(SPRING_CLASS, hours=24)
    assert edge.astimezone(NY).strftime("%a %H:%M %Z") == "Sat 08:00 EST"
    wall_clock_day_before = datetime(2027, 3, 13, 8, 30, tzinfo=NY)  # 23.5 real hours before

    assert not cancel_at(
        client_profile, mat_class, pack, start=SPRING_CLASS, now=wall_clock_day_before
    )


def test_dst_spring_forward_just_inside_the_24_hours_restores(client_profile, mat_class, pack):
    edge = before(SPRING_CLASS, hours=24)

    assert cancel_at(client_profile, mat_class, pack, start=SPRING_CLASS, now=edge - SECOND)
