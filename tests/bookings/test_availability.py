"""Tests for the pure slot engine (no Django needed)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bookings.availability import (
    Interval,
    Policy,
    Schedule,
    ServiceShape,
    Slot,
    blocked_interval,
    free_slots,
    free_slots_many,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_5 = {d: [(time(9), time(17))] for d in range(5)}
EVERY_DAY_9_TO_5 = {d: [(time(9), time(17))] for d in range(7)}
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)
OPEN = Policy(min_notice=timedelta(0), horizon=timedelta(days=400))
HALF_HOUR = ServiceShape(duration=timedelta(minutes=30))
MONDAY = date(2026, 6, 1)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def local_day(day: date, zone: ZoneInfo, days: int = 1) -> Interval:
    """The window from local midnight of day to local midnight `days` later."""
    return Interval(
        datetime.combine(day, time(0), tzinfo=zone),
        datetime.combine(day + timedelta(days=days), time(0), tzinfo=zone),
    )


def labels(slots: list[Slot], zone: ZoneInfo = NY) -> list[str]:
    return [slot.start.astimezone(zone).strftime("%H:%M") for slot in slots]


def slots_on(day: date, weekly=WEEKDAYS_9_TO_5, *, zone=NY, service=HALF_HOUR, policy=OPEN, **kw):
    schedule = Schedule(1, str(zone), weekly, **kw)
    return free_slots(
        schedule=schedule, service=service, window=local_day(day, zone), now=LONG_AGO, policy=policy
    )


def half_hours(first: str, last: str) -> list[str]:
    start = datetime.strptime(first, "%H:%M")
    count = (datetime.strptime(last, "%H:%M") - start) // minutes(30) + 1
    return [(start + i * minutes(30)).strftime("%H:%M") for i in range(count)]


# --- examples -------------------------------------------------------------------------------


def test_weekday_gives_half_hour_starts_from_nine_to_four_thirty():
    slots = slots_on(MONDAY)
    assert labels(slots)[:3] == ["09:00", "09:15", "09:30"]
    assert labels(slots)[-1] == "16:30"
    assert len(slots) == 31
    assert slots[0].start == datetime(2026, 6, 1, 13, 0, tzinfo=UTC)
    assert all(slot.end - slot.start == minutes(30) and slot.specialist_id == 1 for slot in slots)
    assert all(slot.start.tzinfo is UTC for slot in slots)


def test_weekend_has_no_slots():
    schedule = Schedule(1, "America/New_York", WEEKDAYS_9_TO_5)
    weekend = local_day(date(2026, 6, 6), NY, days=2)
    assert (
        free_slots(schedule=schedule, service=HALF_HOUR, window=weekend, now=LONG_AGO, policy=OPEN)
        == []
    )


def test_several_ranges_a_day():
    weekly = {0: [(time(14), time(17)), (time(9), time(12))]}
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    slots = slots_on(MONDAY, weekly, policy=every_30)
    assert labels(slots) == half_hours("09:00", "11:30") + half_hours("14:00", "16:30")


def test_overlapping_and_adjacent_ranges_merge():
    weekly = {0: [(time(9), time(10)), (time(9, 10), time(10, 30)), (time(10, 30), time(11))]}
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    slots = slots_on(MONDAY, weekly, service=ServiceShape(minutes(60)), policy=every_30)
    # One merged 09:00-11:00 range: steps from 09:00 only, and an hour may cross 10:30.
    assert labels(slots) == ["09:00", "09:30", "10:00"]


def test_extra_hours_add_to_weekly_hours_on_that_date():
    saturday = date(2026, 6, 6)
    extra = [(saturday, time(10), time(12)), (MONDAY, time(18), time(19))]
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    assert labels(slots_on(saturday, extra=extra, policy=every_30)) == half_hours("10:00", "11:30")
    monday = labels(slots_on(MONDAY, extra=extra, policy=every_30))
    assert monday == half_hours("09:00", "16:30") + ["18:00", "18:30"]


def test_blocked_date_has_no_hours_even_with_extra_hours():
    extra = [(MONDAY, time(18), time(19))]
    assert slots_on(MONDAY, extra=extra, blocked_dates=frozenset({MONDAY})) == []
    assert slots_on(MONDAY + timedelta(days=1), blocked_dates=frozenset({MONDAY})) != []


def test_range_ending_at_midnight_runs_to_the_end_of_the_day():
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    slots = slots_on(MONDAY, {0: [(time(22), time(0))]}, policy=every_30)
    assert labels(slots) == ["22:00", "22:30", "23:00", "23:30"]
    assert slots[-1].end == datetime(2026, 6, 2, 0, 0, tzinfo=NY)


def test_buffers_keep_slots_away_from_a_booking():
    booked_service = ServiceShape(minutes(60), buffer_before=minutes(15), buffer_after=minutes(15))
    booking = blocked_interval(
        datetime(2026, 6, 1, 11, tzinfo=NY), datetime(2026, 6, 1, 12, tzinfo=NY), booked_service
    )
    assert (booking.start, booking.end) == (
        datetime(2026, 6, 1, 10, 45, tzinfo=NY),
        datetime(2026, 6, 1, 12, 15, tzinfo=NY),
    )
    service = ServiceShape(minutes(30), buffer_before=minutes(10), buffer_after=minutes(5))
    slots = slots_on(MONDAY, service=service, busy=[booking])
    # [s - 10min, s + 35min) must stay clear of 10:45-12:15.
    assert "10:00" in labels(slots) and "10:15" not in labels(slots)
    assert "12:15" not in labels(slots) and "12:30" in labels(slots)
    assert not any("10:15" <= label <= "12:15" for label in labels(slots))


def test_buffers_may_extend_outside_working_hours():
    service = ServiceShape(minutes(30), buffer_before=minutes(30), buffer_after=minutes(30))
    assert labels(slots_on(MONDAY, service=service))[0] == "09:00"
    assert labels(slots_on(MONDAY, service=service))[-1] == "16:30"


def test_min_notice_cuts_early_slots_and_keeps_the_range_grid():
    schedule = Schedule(1, "America/New_York", {0: [(time(9, 10), time(17))]})
    now = datetime(2026, 6, 1, 2, 5, tzinfo=NY)
    policy = Policy(min_notice=timedelta(hours=12), horizon=timedelta(days=60))
    slots = free_slots(
        schedule=schedule, service=HALF_HOUR, window=local_day(MONDAY, NY), now=now, policy=policy
    )
    # Earliest is 14:05; the grid runs 09:10, 09:25, ... so the first slot is 14:10.
    assert labels(slots)[0] == "14:10"
    assert all(slot.start >= now + timedelta(hours=12) for slot in slots)


def test_horizon_is_inclusive_and_cuts_later_slots():
    schedule = Schedule(1, "America/New_York", WEEKDAYS_9_TO_5)
    now = datetime(2026, 5, 30, 12, tzinfo=NY)  # Saturday noon
    window = local_day(MONDAY, NY)
    exact = Policy(min_notice=timedelta(0), horizon=timedelta(days=2, hours=-2))  # Mon 10:00
    slots = free_slots(schedule=schedule, service=HALF_HOUR, window=window, now=now, policy=exact)
    assert labels(slots) == ["09:00", "09:15", "09:30", "09:45", "10:00"]
    short = Policy(min_notice=timedelta(0), horizon=timedelta(days=1))
    assert (
        free_slots(schedule=schedule, service=HALF_HOUR, window=window, now=now, policy=short) == []
    )


def test_window_start_is_inclusive_and_end_exclusive():
    schedule = Schedule(1, "America/New_York", WEEKDAYS_9_TO_5)
    window = Interval(datetime(2026, 6, 1, 10, tzinfo=NY), datetime(2026, 6, 1, 11, tzinfo=NY))
    slots = free_slots(
        schedule=schedule, service=HALF_HOUR, window=window, now=LONG_AGO, policy=OPEN
    )
    assert labels(slots) == ["10:00", "10:15", "10:30", "10:45"]


def test_window_entirely_in_the_past_or_beyond_the_horizon_is_empty():
    schedule = Schedule(1, "America/New_York", WEEKDAYS_9_TO_5)
    window = local_day(MONDAY, NY)
    kwargs = dict(schedule=schedule, service=HALF_HOUR, window=window, policy=Policy())
    assert free_slots(now=datetime(2026, 6, 2, tzinfo=UTC), **kwargs) == []
    assert free_slots(now=datetime(2026, 1, 1, tzinfo=UTC), **kwargs) == []
    assert free_slots(now=datetime(2026, 5, 1, tzinfo=UTC), **kwargs) != []


def test_many_merges_by_start_then_specialist_id():
    schedules = [
        Schedule(2, "America/New_York", {0: [(time(9), time(10))]}),
        Schedule(1, "America/New_York", {0: [(time(9, 30), time(10, 30))]}),
        Schedule(3, "Europe/Berlin", {0: [(time(15), time(15, 30))]}),  # 09:00 in New York
    ]
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    slots = free_slots_many(
        schedules=schedules,
        service=HALF_HOUR,
        window=local_day(MONDAY, NY),
        now=LONG_AGO,
        policy=every_30,
    )
    assert [
        (slot.start.astimezone(NY).strftime("%H:%M"), slot.specialist_id) for slot in slots
    ] == [
        ("09:00", 2),
        ("09:00", 3),
        ("09:30", 1),
        ("09:30", 2),
        ("10:00", 1),
    ]


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 6, 1, 9)
    with pytest.raises(ValueError, match="timezone-aware"):
        Interval(naive, naive + timedelta(hours=1))
    with pytest.raises(ValueError, match="now must be a timezone-aware"):
        free_slots(
            schedule=Schedule(1, "UTC", WEEKDAYS_9_TO_5),
            service=HALF_HOUR,
            window=local_day(MONDAY, NY),
            now=naive,
            policy=OPEN,
        )
    with pytest.raises(ValueError, match="timezone-aware"):
        blocked_interval(naive, naive + timedelta(hours=1), HALF_HOUR)


@pytest.mark.parametrize("bad", [timedelta(0), minutes(-15)])
def test_non_positive_duration_or_granularity_is_rejected(bad):
    with pytest.raises(ValueError, match="duration must be positive"):
        ServiceShape(duration=bad)
    with pytest.raises(ValueError, match="granularity must be positive"):
        Policy(granularity=bad)


def test_bad_schedules_are_rejected():
    with pytest.raises(ValueError, match="unknown IANA timezone"):
        Schedule(1, "Mars/Olympus_Mons", {})
    with pytest.raises(ValueError, match="does not end after it starts"):
        Schedule(1, "UTC", {0: [(time(17), time(9))]})
    with pytest.raises(ValueError, match="weekday"):
        Schedule(1, "UTC", {7: [(time(9), time(17))]})


def test_intervals_are_half_open():
    a = Interval(datetime(2026, 6, 1, 9, tzinfo=UTC), datetime(2026, 6, 1, 10, tzinfo=UTC))
    touching = Interval(a.end, a.end + timedelta(hours=1))
    inside_empty = Interval(a.start + minutes(5), a.start + minutes(5))
    assert not a.overlaps(touching) and not touching.overlaps(a)
    assert a.overlaps(Interval(a.end - minutes(1), a.end + minutes(1)))
    assert not a.overlaps(inside_empty)


# --- DST ------------------------------------------------------------------------------------

DST_DAYS = [
    pytest.param(NY, date(2026, 3, 8), id="new-york-spring-forward"),
    pytest.param(NY, date(2026, 11, 1), id="new-york-fall-back"),
    pytest.param(BERLIN, date(2026, 3, 29), id="berlin-spring-forward"),
    pytest.param(BERLIN, date(2026, 10, 25), id="berlin-fall-back"),
]


@pytest.mark.parametrize(("zone", "change_day"), DST_DAYS)
def test_nine_to_five_keeps_sixteen_half_hours_across_a_dst_change(zone, change_day):
    every_30 = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(30))
    offsets = set()
    for day in (change_day - timedelta(days=1), change_day, change_day + timedelta(days=1)):
        slots = slots_on(day, EVERY_DAY_9_TO_5, zone=zone, policy=every_30)
        assert labels(slots, zone) == half_hours("09:00", "16:30")
        assert {slot.start.astimezone(zone).date() for slot in slots} == {day}
        offsets.add(slots[0].start.astimezone(zone).utcoffset())
    assert len(offsets) == 2  # same wall clock, different UTC instants


@pytest.mark.parametrize(("zone", "change_day"), DST_DAYS)
def test_small_hours_range_follows_real_elapsed_time(zone, change_day):
    hourly = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(60))
    night = {d: [(time(0), time(4))] for d in range(7)}
    slots = slots_on(change_day, night, zone=zone, service=ServiceShape(minutes(60)), policy=hourly)
    real_hours = 3 if change_day.month == 3 else 5
    assert len(slots) == real_hours
    assert slots[-1].end - slots[0].start == timedelta(hours=real_hours)
    assert slots[0].start == datetime.combine(change_day, time(0), tzinfo=zone)
    assert slots[-1].end.astimezone(zone).time() == time(4)
    quarter = Policy(min_notice=timedelta(0), horizon=timedelta(days=400))
    half = slots_on(change_day, night, zone=zone, policy=quarter)
    assert len(half) == (real_hours * 60 - 30) // 15 + 1
    assert len(slots_on(change_day + timedelta(days=7), night, zone=zone, policy=quarter)) == 15


def test_fall_back_night_repeats_the_one_o_clock_hour():
    hourly = Policy(min_notice=timedelta(0), horizon=timedelta(days=400), granularity=minutes(60))
    night = {6: [(time(0), time(4))]}
    slots = slots_on(date(2026, 11, 1), night, service=ServiceShape(minutes(60)), policy=hourly)
    assert [s.start.astimezone(NY).strftime("%H:%M%z") for s in slots] == [
        "00:00-0400",
        "01:00-0400",
        "01:00-0500",
        "02:00-0500",
        "03:00-0500",
    ]


def test_range_starting_in_the_spring_forward_gap_moves_forward():
    slots = slots_on(date(2026, 3, 8), {6: [(time(2, 30), time(4))]})
    # 02:30 does not exist; read with fold=0 it is 03:30 EDT, leaving half an hour.
    assert [s.start.astimezone(NY).strftime("%H:%M%z") for s in slots] == ["03:30-0400"]


# --- properties -----------------------------------------------------------------------------

ZONES = ["America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney", "UTC"]
EU_CHANGES = [date(2026, 3, 29), date(2026, 10, 25)]
DST_CHANGES = {
    "America/New_York": [date(2026, 3, 8), date(2026, 11, 1)],
    "Europe/London": EU_CHANGES,
    "Europe/Berlin": EU_CHANGES,
    "Australia/Sydney": [date(2026, 4, 5), date(2026, 10, 4)],
    "UTC": [date(2026, 6, 28)],
}
PROPERTY = settings(max_examples=100, deadline=None, database=None)


def clock(five_minute_steps: int) -> time:
    return time(0) if five_minute_steps == 288 else time(*divmod(five_minute_steps * 5, 60))


# Endpoints in five-minute steps, often at the small hours where DST changes happen.
endpoints = st.sampled_from([0, 12, 18, 24, 30, 36, 48, 108, 204, 288]) | st.integers(0, 288)
local_ranges = (
    st.tuples(endpoints, endpoints)
    .filter(lambda pair: pair[0] != pair[1])
    .map(lambda pair: (clock(min(pair)), clock(max(pair))))
)


@st.composite
def scenarios(draw):
    """Random hours, busy time, service and policy around a (often DST) date; about half
    of the cases produce slots, the rest probe empty edges."""
    zone = draw(st.sampled_from(ZONES))
    base = draw(st.sampled_from(DST_CHANGES[zone]) | st.dates(date(2026, 1, 1), date(2026, 12, 31)))
    near_dates = st.integers(-4, 4).map(lambda k: base + timedelta(days=k))
    anchor = datetime.combine(base, time(0), tzinfo=UTC)
    busy = draw(
        st.lists(
            st.builds(
                lambda offset, length: Interval(
                    anchor + minutes(offset), anchor + minutes(offset + length)
                ),
                st.integers(-4 * 1440, 4 * 1440),
                st.integers(0, 300),
            ),
            max_size=15,
        )
    )
    weekly = draw(st.dictionaries(st.integers(0, 6), st.lists(local_ranges, max_size=3)))
    weekly[base.weekday()] = draw(st.lists(local_ranges, min_size=1, max_size=3))
    schedule = Schedule(
        specialist_id=draw(st.integers(1, 9)),
        timezone=zone,
        weekly=weekly,
        extra=draw(
            st.lists(st.tuples(near_dates, local_ranges), max_size=3).map(
                lambda pairs: [(day, start, end) for day, (start, end) in pairs]
            )
        ),
        blocked_dates=draw(st.frozensets(near_dates, max_size=3)),
        busy=busy,
    )
    service = ServiceShape(
        duration=minutes(draw(st.sampled_from([15, 30, 45, 60, 90]) | st.integers(1, 240))),
        buffer_before=minutes(draw(st.integers(0, 60))),
        buffer_after=minutes(draw(st.integers(0, 60))),
    )
    window_start = anchor + minutes(draw(st.integers(-2 * 1440, 1440)))
    window_length = draw(st.sampled_from([1, 6, 24, 48, 96])) * 60 + draw(st.integers(0, 59))
    window = Interval(window_start, window_start + minutes(window_length))
    policy = Policy(
        min_notice=minutes(draw(st.integers(0, 12 * 60))),
        horizon=timedelta(days=draw(st.integers(2, 10)), minutes=draw(st.integers(0, 1440))),
        granularity=minutes(draw(st.sampled_from([5, 7, 10, 15, 20, 30, 45, 60]))),
    )
    now = window_start + minutes(draw(st.integers(-2 * 1440, 360)))
    return dict(schedule=schedule, service=service, window=window, now=now, policy=policy)


def to_utc(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    """The documented rule: wall clock read with fold=0, normalised through UTC."""
    return datetime.combine(day, clock_time, tzinfo=zone).replace(fold=0).astimezone(UTC)


def raw_ranges(schedule: Schedule, day: date) -> list[tuple[datetime, datetime]]:
    """Unmerged UTC working ranges of a local date, straight from the schedule."""
    if day in schedule.blocked_dates:
        return []
    zone = ZoneInfo(schedule.timezone)
    local = list(schedule.weekly.get(day.weekday(), []))
    local += [(start, end) for extra_day, start, end in schedule.extra if extra_day == day]
    return [
        (to_utc(day, start, zone), to_utc(day + timedelta(days=end == time(0)), end, zone))
        for start, end in local
    ]


def minute_of(instant: datetime) -> int:
    return int(instant.timestamp()) // 60


def brute_force(schedule, service, window, now, policy) -> list[Slot]:
    """Every slot by exhaustion: minute sets per date, linear busy scan, filters last."""
    zone = ZoneInfo(schedule.timezone)
    found = []
    day = window.start.astimezone(zone).date() - timedelta(days=2)
    while day <= window.end.astimezone(zone).date() + timedelta(days=2):
        covered = set()
        for start, end in raw_ranges(schedule, day):
            covered.update(range(minute_of(start), minute_of(end)))
        runs, ordered = [], sorted(covered)
        for m in ordered:
            if runs and runs[-1][1] == m:
                runs[-1][1] = m + 1
            else:
                runs.append([m, m + 1])
        for run_start, run_end in runs:
            m = run_start
            while m + service.duration // minutes(1) <= run_end:
                start = datetime.fromtimestamp(m * 60, UTC)
                end = start + service.duration
                taken = blocked_interval(start, end, service)
                if (
                    max(window.start, now + policy.min_notice) <= start < window.end
                    and start <= now + policy.horizon
                    and not any(taken.overlaps(busy) for busy in schedule.busy)
                ):
                    found.append(Slot(start, end, schedule.specialist_id))
                m += policy.granularity // minutes(1)
        day += timedelta(days=1)
    return sorted(found, key=lambda slot: slot.start)


@PROPERTY
@given(scenarios())
def test_property_no_slot_or_its_buffers_overlap_busy_time(case):
    for slot in free_slots(**case):
        assert slot.end - slot.start == case["service"].duration
        taken = blocked_interval(slot.start, slot.end, case["service"])
        assert not any(taken.overlaps(busy) for busy in case["schedule"].busy)


@PROPERTY
@given(scenarios())
def test_property_every_slot_lies_inside_a_working_range_of_its_local_date(case):
    schedule = case["schedule"]
    zone = ZoneInfo(schedule.timezone)
    for slot in free_slots(**case):
        local_start, local_end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        day = local_start.date()
        assert local_end.date() == day or (
            local_end.date() == day + timedelta(days=1) and local_end.time() == time(0)
        )
        # Walk the union of that date's ranges in real time from the slot's start.
        reach = slot.start
        for start, end in sorted(raw_ranges(schedule, day)):
            if start <= reach < end:
                reach = end
        assert reach >= slot.end, f"{slot} not covered on {day}"


@PROPERTY
@given(scenarios())
def test_property_slots_respect_notice_horizon_and_window(case):
    now, policy, window = case["now"], case["policy"], case["window"]
    for slot in free_slots(**case):
        assert now + policy.min_notice <= slot.start <= now + policy.horizon
        assert window.start <= slot.start < window.end


@PROPERTY
@given(scenarios())
def test_property_slots_are_sorted_and_unique(case):
    starts = [slot.start for slot in free_slots(**case)]
    assert starts == sorted(set(starts))


@settings(max_examples=200, deadline=None, database=None)
@given(scenarios())
def test_property_every_free_candidate_is_offered(case):
    # Guards against an engine that passes the other properties by offering too little.
    assert free_slots(**case) == brute_force(**case)


@settings(max_examples=50, deadline=None, database=None)
@given(st.lists(scenarios(), min_size=1, max_size=3))
def test_property_many_is_the_sorted_union_of_singles(cases):
    shared = {key: cases[0][key] for key in ("service", "window", "now", "policy")}
    schedules = [
        Schedule(i, c["schedule"].timezone, c["schedule"].weekly, busy=c["schedule"].busy)
        for i, c in enumerate(cases)
    ]
    merged = free_slots_many(schedules=schedules, **shared)
    singles = [slot for s in schedules for slot in free_slots(schedule=s, **shared)]
    assert merged == sorted(singles, key=lambda slot: (slot.start, slot.specialist_id))
