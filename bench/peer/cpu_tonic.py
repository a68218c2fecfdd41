"""CPU cost of Tonic's computed month in one process: the request measure_tonic.py sends, with
the availability cache off, timed with time.process_time() (the machine may be shared, so wall
time is noise). Prints p10 / median CPU ms through the test client and in process, and the query
count; with PROFILE=1, a cProfile of the test-client request.

    BENCH_FIRST=2027-01-04 .venv/bin/python bench/peer/cpu_tonic.py
    DATABASE_URL=postgres://... BENCH_FIRST=... .venv/bin/python bench/peer/cpu_tonic.py
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
database = os.environ.get("DATABASE_URL")
import measure_tonic  # noqa: E402  (sets the environment, pops DATABASE_URL)

if database:
    os.environ["DATABASE_URL"] = database  # db.create() makes <name>_bench from it

import common  # noqa: E402

from tests.bench import db  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))


def cpu_ms(fn, runs: int = RUNS) -> tuple[float, float]:
    """p10 and median CPU ms of fn over `runs` runs after 20 warm-ups."""
    for _ in range(20):
        fn()
    times = []
    for _ in range(runs):
        began = time.process_time()
        fn()
        times.append((time.process_time() - began) * 1000)
    times.sort()
    return round(times[len(times) // 10], 2), round(statistics.median(times), 2)


def pieces(service, specialist, first, last, zone) -> None:
    """CPU ms (p10, median) of each step of the computed answer, one at a time."""
    from django.utils import timezone

    from accounts.models import Studio
    from bookings import availability_json, selectors

    now = timezone.now()
    window = selectors.local_window(first, last, zone)
    studio = Studio.get()
    specialists = selectors._offering(service, specialist.pk)
    schedules = selectors.schedules_load(specialists=specialists, window=window, now=now)
    slots = selectors.slots_find(
        service=service, specialists=specialists, window=window, now=now, studio=studio
    )
    steps = {
        "service_get": lambda: selectors.service_get(service.slug),
        "Studio.get": Studio.get,
        "zone_or_invalid": lambda: selectors.zone_or_invalid(zone.key),
        "_offering": lambda: selectors._offering(service, specialist.pk),
        "schedules_load": lambda: selectors.schedules_load(
            specialists=specialists, window=window, now=now
        ),
        "free_slots_many": lambda: selectors.free_slots_many(
            schedules=schedules,
            service=selectors.service_shape(service),
            window=window,
            now=now,
            policy=selectors.studio_policy(studio),
        ),
        "slots_json": lambda: availability_json.slots_json(
            tz_name=zone.key, zone=zone, slots=slots, names={specialist.pk: specialist.name}
        ),
    }
    for name, step in steps.items():
        print(f"  {name:16} p10/median CPU ms", cpu_ms(step))


def main() -> None:
    url = db.create() if database else None
    specialist, service = measure_tonic.build()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bookings import selectors

    zone = ZoneInfo(common.ZONE)
    first, last = common.FIRST, common.FIRST + timedelta(days=common.DAYS - 1)
    client = Client()
    query = common.tonic_month_query(service.slug, specialist.pk)

    def month():
        return selectors.availability(
            service=service, start=first, end=last, zone=zone, specialist=specialist.pk
        )

    def month_http():
        response = client.get("/api/availability/", query)
        assert response.status_code == 200, response.content
        return response

    with override_settings(AVAILABILITY_CACHE_SECONDS=0):
        month_http()
        with CaptureQueriesContext(connection) as queries:
            slots = len(month_http().json()["slots"])
        print(f"{connection.vendor}: {slots} slots, {len(queries)} queries")
        if os.environ.get("SHOW_SQL"):
            for q in queries:
                print("  ", q["sql"][:300])
        print("in process   p10/median CPU ms", cpu_ms(month))
        print("test client  p10/median CPU ms", cpu_ms(month_http))
        if os.environ.get("PIECES"):
            pieces(service, specialist, first, last, zone)
        if os.environ.get("PROFILE"):
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(200):
                month_http()
            profile.disable()
            stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("LINES", "60")))
    if os.environ.get("PIECES"):  # the request's own cost: the same GET answered from cache
        print("  from cache       p10/median CPU ms", cpu_ms(month_http))
    if url:
        db.drop(url)


if __name__ == "__main__":
    main()
