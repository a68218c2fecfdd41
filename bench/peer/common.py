"""What both sides share: the shape of the data, the window, one timing helper, one JSON line.

Imported by measure_peer.py (the peer's venv) and measure_tonic.py (Tonic's venv): standard
library and Django only.
"""

import json
import os
import statistics
import time
from datetime import date, timedelta

STAFF_HOURS = (8, 20)  # one staff member / specialist, 08:00-20:00 every day
SERVICE_MINUTES = 30
BOOKINGS = 300  # confirmed, 30 minutes, 10 a day on the hour from 08:00: days 1-30 of 31
PER_DAY = 10
CLIENTS = 20
DAYS = 31

ZONE = os.environ.get("BENCH_ZONE", "Europe/London")
FIRST = date.fromisoformat(os.environ["BENCH_FIRST"])
RUNS = int(os.environ.get("BENCH_RUNS", "15"))


def days() -> list[date]:
    return [FIRST + timedelta(days=i) for i in range(DAYS)]


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


def emit(figures: dict) -> None:
    print(json.dumps(figures), flush=True)
