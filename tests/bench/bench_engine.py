"""(b) The slot engine alone: bookings.availability.free_slots_many for 10 specialists x 31 days
(schedules loaded once from the database, then only the pure computation is timed)."""

import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from tests.bench import data
from tests.bench.report import Row, scale

SPECIALISTS, DAYS, BOOKINGS_EACH = 10, 31, 300


def main() -> list[Row]:
    from django.utils import timezone

    from bookings.availability import Interval, free_slots_many
    from bookings.selectors import schedules_load, service_shape, studio_policy

    studio = data.studio()
    specs, service = data.specialists(SPECIALISTS)
    people = data.clients(20)
    for spec in specs:
        data.bookings(spec, service, people, BOOKINGS_EACH)
    zone = ZoneInfo(data.ZONE)
    first = data.first_day()
    window = Interval(
        datetime.combine(first, clock(0), tzinfo=zone),
        datetime.combine(first + timedelta(days=DAYS), clock(0), tzinfo=zone),
    )
    now = timezone.now()
    schedules = schedules_load(specialists=specs, window=window, now=now)
    args = {
        "schedules": schedules,
        "service": service_shape(service),
        "window": window,
        "now": now,
        "policy": studio_policy(studio),
    }
    slots = free_slots_many(**args)  # warm up
    timings = []
    for _ in range(scale(30, 10)):
        began = time.perf_counter()
        free_slots_many(**args)
        timings.append((time.perf_counter() - began) * 1000)
    median = statistics.median(timings)
    return [
        Row(
            "b",
            f"free_slots_many {SPECIALISTS} specialists x {DAYS} days, "
            f"{BOOKINGS_EACH} bookings each ({len(slots)} slots)",
            f"median {median:.1f} ms, max {max(timings):.1f} ms",
            "< 50 ms",
            median < 50,
        )
    ]
