"""How calendar jobs back off from a calendar that keeps failing."""

from datetime import timedelta

from bookings.calendars.caldav import calendar_connection_backoff
from bookings.calendars.tasks import retry_countdown


def test_push_retries_back_off_from_a_minute_to_an_hour():
    waits = [retry_countdown(n) for n in range(8)]
    assert 60 <= waits[0] <= 90
    assert all(later >= earlier - 30 for earlier, later in zip(waits, waits[1:], strict=False))
    assert all(w <= 3600 + 30 for w in waits) and waits[-1] >= 3600


def test_periodic_sync_backs_off_from_five_minutes_to_six_hours():
    assert calendar_connection_backoff(0) == timedelta(0)
    assert calendar_connection_backoff(1) == timedelta(minutes=5)
    assert calendar_connection_backoff(3) == timedelta(minutes=20)
    assert calendar_connection_backoff(20) == timedelta(hours=6)
