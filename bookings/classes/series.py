"""The dates and instants of a weekly series: pure functions, no ORM.

A series is kept as a wall-clock time in the studio's zone, not as a UTC instant plus seven
days: 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer, and a class must stay
at 09:00 on the studio's clock through both DST changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_OCCURRENCES = 400  # about two years of a class on four days a week


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, as an aware UTC datetime.

    A wall-clock time skipped by a spring-forward change (02:30) becomes the instant an hour
    later, 03:30; a time that happens twice (fall back) is the first of the two."""
    # fold=0 (the default) reads a gap time with the offset before the change, which lands an
    # hour later on the new clock, and a repeated time as its first reading.
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def series_days(first: date, until: date, weekdays: list[int]) -> Iterator[date]:
    """Every date from first to until (inclusive) on one of the weekdays (0 = Monday)."""
    wanted = set(weekdays) or {first.weekday()}
    day = first
    while day <= until:
        if day.weekday() in wanted:
            yield day
        day += timedelta(days=1)


def series_starts(
    *, first: date, at: time, until: date, weekdays: list[int], zone: ZoneInfo
) -> list[datetime]:
    """The UTC start of each class of a series, at the same wall-clock time in `zone`."""
    return [local_instant(day, at, zone) for day in series_days(first, until, weekdays)]


def shifted_start(start: datetime, *, days: int, at: time, zone: ZoneInfo) -> datetime:
    """Where an occurrence lands when "this and following" moves by `days` to the wall-clock
    time `at`: its own local date shifted by the same number of days, at the new time."""
    return local_instant(start.astimezone(zone).date() + timedelta(days=days), at, zone)
