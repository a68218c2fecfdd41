"""Pure slot engine: working hours + busy time + policy -> bookable slots.

No Django here on purpose, so the rules can be property-tested in isolation.

DST choice: a local wall-clock time is read with ``fold=0`` and normalised through UTC.
A time that does not exist (spring-forward gap) therefore moves forward by the size of
the gap (02:30 in New York on 2026-03-08 becomes 03:30 EDT), and an ambiguous time
(fall-back) means its first, daylight-saving occurrence. Slots step in real elapsed time
from the start of a working range, so a 00:00-04:00 range holds 5 real hours on a
fall-back night and 3 on a spring-forward night, while 09:00-17:00 is unaffected.
A range ending at 00:00 means "until midnight" (00:00-00:00 is the whole day).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from operator import attrgetter
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)
_TICK = timedelta(microseconds=1)  # datetime's resolution: start < end <=> start <= end - _TICK


def _aware_utc(value: datetime, name: str) -> datetime:
    """Return value converted to UTC, or raise ValueError if it is naive."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value.isoformat()}")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Interval:
    """Half-open span [start, end) of real time, stored in UTC."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        start = _aware_utc(self.start, "Interval.start")
        end = _aware_utc(self.end, "Interval.end")
        if end < start:
            raise ValueError(f"Interval ends before it starts: {start} > {end}")
        # UTC storage keeps timedelta arithmetic in real time rather than wall-clock time.
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    @classmethod
    def from_utc(cls, start: datetime, end: datetime) -> Interval:
        """An interval of aware UTC datetimes already in order, such as rows the database
        checked on the way in, made without the checks (hundreds per availability answer)."""
        interval = object.__new__(cls)
        object.__setattr__(interval, "start", start)
        object.__setattr__(interval, "end", end)
        return interval

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one instant (empty ones share none)."""
        return max(self.start, other.start) < min(self.end, other.end)


def _check_range(start: time, end: time, where: str) -> None:
    """Raise ValueError unless [start, end) is a usable local range (end 00:00 = midnight)."""
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValueError(f"{where}: working hours must be naive local times")
    if end != _MIDNIGHT and end <= start:
        raise ValueError(f"{where}: range {start}-{end} does not end after it starts")


@dataclass(frozen=True)
class Schedule:
    """One specialist's working time, with hours in their own zone and busy time in UTC."""

    specialist_id: int
    timezone: str
    weekly: Mapping[int, Sequence[tuple[time, time]]]
    extra: Sequence[tuple[date, time, time]] = ()
    blocked_dates: frozenset[date] = frozenset()
    busy: Sequence[Interval] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown IANA timezone {self.timezone!r}") from exc
        for weekday, ranges in self.weekly.items():
            if weekday not in range(7):
                raise ValueError(f"weekday must be 0 (Mon) .. 6 (Sun), got {weekday!r}")
            for start, end in ranges:
                _check_range(start, end, f"weekly[{weekday}]")
        for day, start, end in self.extra:
            _check_range(start, end, f"extra {day}")

    @property
    def zone(self) -> ZoneInfo:
        """The specialist's zone (ZoneInfo caches instances, so this is cheap)."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class ServiceShape:
    """How long a service takes and how much calendar it keeps clear around itself."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if self.duration <= timedelta(0):
            raise ValueError(f"duration must be positive, got {self.duration}")
        if self.buffer_before < timedelta(0) or self.buffer_after < timedelta(0):
            raise ValueError("buffers must not be negative")


@dataclass(frozen=True)
class Policy:
    """Booking rules: how soon, how far ahead, and on what step slots may start."""

    min_notice: timedelta = timedelta(hours=12)
    horizon: timedelta = timedelta(days=60)
    granularity: timedelta = timedelta(minutes=15)

    def __post_init__(self) -> None:
        if self.granularity <= timedelta(0):
            raise ValueError(f"granularity must be positive, got {self.granularity}")
        if self.min_notice < timedelta(0) or self.horizon < timedelta(0):
            raise ValueError("min_notice and horizon must not be negative")


class Slot(NamedTuple):
    """A bookable appointment [start, end) in UTC for one specialist (a tuple: a month holds
    hundreds, and a tuple is several times cheaper to make than a frozen dataclass)."""

    start: datetime
    end: datetime
    specialist_id: int


def blocked_interval(start: datetime, end: datetime, service: ServiceShape) -> Interval:
    """The interval a booking takes out of the calendar: [start - buffer_before, end + buffer_after)."""
    start = _aware_utc(start, "start")
    end = _aware_utc(end, "end")
    return Interval(start - service.buffer_before, end + service.buffer_after)


class _BusyIndex:
    """Busy time merged into disjoint sorted runs, so one bisect answers "is this free?"
    (free_slots)."""

    def __init__(self, intervals: Iterable[Interval]) -> None:
        runs: list[list[datetime]] = []
        # Sorted as (start, end) tuples, compared in C: no Python key call per interval.
        for start, end in sorted([(iv.start, iv.end) for iv in intervals]):
            if start >= end:
                continue
            if runs and start <= runs[-1][1]:
                runs[-1][1] = max(runs[-1][1], end)
            else:
                runs.append([start, end])
        self.starts = [run[0] for run in runs]
        self.ends = [run[1] for run in runs]


def _local_to_utc(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The real instant of a local wall-clock time (gap times move forward, see module doc)."""
    # fold=0 reads a nonexistent time with the pre-gap offset; the UTC round trip then
    # lands it after the gap, and an ambiguous time resolves to its first occurrence.
    naive = datetime.combine(day, clock.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC)


def _working_ranges(
    schedule: Schedule,
    day: date,
    extra_by_day: Mapping[date, list[tuple[time, time]]],
    zone: ZoneInfo,
) -> list[tuple[datetime, datetime]]:
    """Merged UTC working ranges of one local date (none if the date is blocked)."""
    if day in schedule.blocked_dates:
        return []
    converted: list[tuple[datetime, datetime]] = []
    for opens, closes in [*schedule.weekly.get(day.weekday(), ()), *extra_by_day.get(day, ())]:
        closes_on = day + _ONE_DAY if closes == _MIDNIGHT else day
        utc_range = (_local_to_utc(day, opens, zone), _local_to_utc(closes_on, closes, zone))
        # A range starting inside a spring-forward gap can collapse to nothing.
        if utc_range[0] < utc_range[1]:
            converted.append(utc_range)
    # Merge in real time: after a gap shift, ranges disjoint on the wall clock may overlap.
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(converted):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def free_slots(
    *,
    schedule: Schedule,
    service: ServiceShape,
    window: Interval,
    now: datetime,
    policy: Policy,
) -> list[Slot]:
    """Free slots for one specialist whose start lies in window, sorted by start."""
    now = _aware_utc(now, "now")
    earliest = max(window.start, now + policy.min_notice)
    latest = now + policy.horizon  # inclusive, unlike window.end
    if earliest >= window.end or earliest > latest:
        return []
    zone = schedule.zone
    busy = _BusyIndex(schedule.busy)
    extra_by_day: dict[date, list[tuple[time, time]]] = {}
    for extra_day, opens, closes in schedule.extra:
        extra_by_day.setdefault(extra_day, []).append((opens, closes))
    step, duration = policy.granularity, service.duration
    before, after = service.buffer_before, service.buffer_after

    slots: list[Slot] = []
    # The loop below runs for every candidate start of the month: its bounds are folded into
    # one comparison and the busy index is read inline. Busy runs are disjoint and sorted, so
    # their ends are sorted too: the first run ending after a slot's start is the only one
    # that can overlap it.
    busy_starts, busy_ends, runs = busy.starts, busy.ends, len(busy.ends)
    keeps = duration + after  # a slot keeps [start - before, start + keeps) clear
    last_start = min(latest, window.end - _TICK)  # inclusive
    new_slot, sid = tuple.__new__, schedule.specialist_id
    # Only the local dates the (clamped) window can touch, padded a day for zone offsets.
    day = earliest.astimezone(zone).date() - _ONE_DAY
    last_day = min(window.end, latest).astimezone(zone).date() + _ONE_DAY
    while day <= last_day:
        for range_start, range_end in _working_ranges(schedule, day, extra_by_day, zone):
            # Steps count from the range start, so jump to the first one at or after earliest.
            skipped = max(0, -((range_start - earliest) // step))
            start = range_start + skipped * step
            stop = min(last_start, range_end - duration)  # the last start that fits
            while start <= stop:
                i = bisect_right(busy_ends, start - before)
                if i == runs or busy_starts[i] >= start + keeps:
                    slots.append(new_slot(Slot, (start, start + duration, sid)))
                start += step
        day += _ONE_DAY
    # Linear on already-sorted input; only reorders if a DST gap straddles local midnight.
    slots.sort(key=attrgetter("start"))
    return slots


def free_slots_many(
    *,
    schedules: Iterable[Schedule],
    service: ServiceShape,
    window: Interval,
    now: datetime,
    policy: Policy,
) -> list[Slot]:
    """Free slots of several specialists merged, sorted by (start, specialist_id)."""
    slots = [
        slot
        for schedule in schedules
        for slot in free_slots(
            schedule=schedule, service=service, window=window, now=now, policy=policy
        )
    ]
    slots.sort(key=attrgetter("start", "specialist_id"))
    return slots


def working_time(
    schedule: Schedule, window: Interval, closed: Iterable[Interval] = ()
) -> timedelta:
    """A specialist's working time inside window, less studio closures: the "available" of a
    utilisation report (bookings are not subtracted; they are what fills it)."""
    zone = schedule.zone
    extra_by_day: dict[date, list[tuple[time, time]]] = {}
    for extra_day, opens, closes in schedule.extra:
        extra_by_day.setdefault(extra_day, []).append((opens, closes))
    closures = _BusyIndex(closed)
    total = timedelta(0)
    day = window.start.astimezone(zone).date() - _ONE_DAY
    while day <= window.end.astimezone(zone).date() + _ONE_DAY:
        for range_start, range_end in _working_ranges(schedule, day, extra_by_day, zone):
            start, end = max(range_start, window.start), min(range_end, window.end)
            if start < end:
                total += end - start - _overlap(closures, start, end)
        day += _ONE_DAY
    return total


def _overlap(index: _BusyIndex, start: datetime, end: datetime) -> timedelta:
    """How much of [start, end) the index's runs cover."""
    covered = timedelta(0)
    for run_start, run_end in zip(index.starts, index.ends, strict=True):
        if run_start < end and run_end > start:
            covered += min(run_end, end) - max(run_start, start)
    return covered
