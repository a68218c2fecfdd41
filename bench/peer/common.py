"""What both sides share: the shape of the data, the window, one timing helper, one JSON line.

Imported by measure_peer.py (the peer's venv) and measure_tonic.py (Tonic's venv): standard
library and Django only (tests/bench/server.py, the load generator, is standard library only).
"""

import json
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT))
from tests.bench.server import WORKERS, run_jobs  # noqa: E402

STAFF_HOURS = (8, 20)  # one staff member / specialist, 08:00-20:00 every day
SERVICE_MINUTES = 30
BOOKINGS = 300  # confirmed, 30 minutes, 10 a day on the hour from 08:00: days 1-30 of 31
PER_DAY = 10
CLIENTS = 20
DAYS = 31

ZONE = os.environ.get("BENCH_ZONE", "Europe/London")
FIRST = date.fromisoformat(os.environ["BENCH_FIRST"])
RUNS = int(os.environ.get("BENCH_RUNS", "15"))

# Under gunicorn: Tonic's benchmark (a)'s load generator and client threads, fewer requests.
THREADS = 8
LOAD_REQUESTS = 1500
LOAD_SECONDS = 8


def days() -> list[date]:
    return [FIRST + timedelta(days=i) for i in range(DAYS)]


def tonic_month_query(service_slug: str, specialist_pk: int) -> dict:
    """Tonic's GET /api/availability/ parameters for the benchmark's month."""
    return {
        "service": service_slug,
        "start": FIRST.isoformat(),
        "end": (FIRST + timedelta(days=DAYS - 1)).isoformat(),
        "specialist": specialist_pk,
        "tz": ZONE,
    }


def booking_starts() -> list[tuple[date, int]]:
    """(day, hour) of each booking, as tests/bench/data.py's bookings() places them."""
    return [
        (FIRST + timedelta(days=i // PER_DAY), STAFF_HOURS[0] + i % PER_DAY)
        for i in range(BOOKINGS)
    ]


def measure(fn, runs: int = RUNS):
    """fn's median wall time in ms over `runs` runs after one warm-up, then the number of SQL
    queries and the result of one more run (counted apart, so counting costs no time)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    return round(statistics.median(times), 2), len(queries), result


def throughput(port: int, trivial: str, path: str, headers: dict | None = None) -> dict:
    """Requests/s of a trivial view, then of `path` (sent with `headers`), on one running
    gunicorn; every answer must be a 200. Also the last body of `path`, to check the answer."""
    jobs = {
        "trivial": [(port, "GET", trivial, None, None)],
        "endpoint": [(port, "GET", path, None, headers)],
    }
    for job in jobs.values():  # warm up both (imports, connections, caches)
        run_jobs(job * 20, threads=THREADS, max_seconds=5)
    figures = {"workers": WORKERS, "threads": THREADS}
    for name, job in jobs.items():
        load = run_jobs(job * LOAD_REQUESTS, threads=THREADS, max_seconds=LOAD_SECONDS)
        assert set(load.statuses) == {200}, f"{job[0][2]}: {load.statuses}"
        figures[f"{name}_rps"] = round(load.rps, 1)
    figures["body"] = load.results[-1][1]
    return figures


def emit(figures: dict) -> None:
    print(json.dumps(figures), flush=True)
