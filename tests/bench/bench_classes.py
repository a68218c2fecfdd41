"""(g) A schedule-release rush: 200 clients within about 10 seconds, each reading the week's
timetable (GET /api/classes/) and booking a place in one of 15 classes of 8 places (POST
/api/classes/{id}/book/). Figures: timetable reads as a share of /healthz throughput on the same
server, booking p50/p95, places booked (exactly 120) and overbookings (0)."""

import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from tests.bench import data
from tests.bench.report import Row, scale
from tests.bench.server import WORKERS, gunicorn, hammer, request

CLASSES, PLACES, THREADS = 15, 8, 8


def _classes():
    """15 classes of 8 places over the coming week, three instructors."""
    from bookings.classes import services

    instructors, _ = data.specialists(3)
    zone = ZoneInfo(data.ZONE)
    first = data.first_day()
    made = []
    for i in range(CLASSES):
        day = first + timedelta(days=i % 5)
        start = datetime.combine(day, clock(7 + i // 5), tzinfo=zone)
        made += services.class_create(
            title=f"Reformer {i % 3}",
            instructor=instructors[i % 3],
            start=start,
            zone=data.ZONE,
            duration_minutes=50,
            capacity=PLACES,
        )
    return made, first


def _rush(port: int, week: str, ids: list[int], clients: int, seconds: float):
    """Each client reads the timetable then books a random class, starts spread over `seconds`."""
    rng = random.Random(7)
    gaps = seconds / clients
    latencies, statuses = [], {}

    def client(i: int):
        time.sleep(i * gaps)
        status, _ = request(port, "GET", week)
        assert status == 200, status
        body = json.dumps({"name": f"Rusher {i}", "email": f"rusher{i}@bench.test"})
        began = time.perf_counter()
        status, _ = request(
            port,
            "POST",
            f"/api/classes/{rng.choice(ids)}/book/",
            body,
            {"Content-Type": "application/json"},
        )
        return status, time.perf_counter() - began

    with ThreadPoolExecutor(max_workers=60) as pool:
        for status, latency in pool.map(client, range(clients)):
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(latency)
    latencies.sort()
    return statuses, latencies


def _booked_per_class() -> dict[int, int]:
    from django.db.models import Count

    from bookings.models import Booking

    rows = Booking.objects.filter(status__in=Booking.BLOCKING, occurrence__isnull=False)
    return dict(
        rows.values_list("occurrence").annotate(n=Count("pk")).values_list("occurrence", "n")
    )


def main() -> list[Row]:
    data.studio()
    occurrences, first = _classes()
    ids = [o.pk for o in occurrences]
    week = f"/api/classes/?start={first}&end={first + timedelta(days=6)}"
    clients, seconds = scale(200, 200), scale(10, 10)
    requests = scale(2000, 500)
    with gunicorn(workers=WORKERS) as port:
        hammer(port, "/healthz", threads=THREADS, requests=50, max_seconds=5)  # warm up
        hammer(port, week, threads=THREADS, requests=20, max_seconds=5)
        health = hammer(port, "/healthz", threads=THREADS, requests=requests, max_seconds=10)
        reads = hammer(port, week, threads=THREADS, requests=requests, max_seconds=10)
        statuses, latencies = _rush(port, week, ids, clients, seconds)
    assert set(reads.statuses) == {200}, reads.statuses
    others = {s: c for s, c in statuses.items() if s not in (201, 409)}
    assert not others, f"unexpected statuses {others}"
    per_class = _booked_per_class()
    booked = sum(per_class.values())
    over = sum(max(0, n - PLACES) for n in per_class.values())
    ratio = reads.rps / health.rps

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    p95 = pct(0.95)
    return [
        Row(
            "i",
            f"GET /api/classes/ week of {CLASSES} classes vs /healthz "
            f"(gunicorn {WORKERS} workers, {THREADS} threads)",
            f"{reads.rps:.0f} vs {health.rps:.0f} req/s: {ratio:.0%}",
            ">= 50%",
            ratio >= 0.5,
        ),
        Row(
            "i",
            f"rush: {clients} clients in {seconds} s, timetable then book ({CLASSES} x {PLACES})",
            f"booking p50 {pct(0.5):.0f} ms, p95 {p95:.0f} ms; "
            f"{statuses.get(201, 0)} booked, {statuses.get(409, 0)} full (409)",
            "p95 < 500 ms",
            p95 < 500,
        ),
        Row("i", "places booked", str(booked), str(CLASSES * PLACES), booked == CLASSES * PLACES),
        Row("i", "overbooked places", str(over), "0", over == 0),
    ]
