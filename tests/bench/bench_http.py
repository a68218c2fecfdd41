"""(a) GET /api/availability/ (1 specialist, 31 days, 300 bookings) throughput as a share of
GET /healthz throughput, same gunicorn server, same worker count, same load generator."""

import http.client
from datetime import timedelta
from urllib.parse import urlencode

from tests.bench import data
from tests.bench.report import Row, scale
from tests.bench.server import WORKERS, gunicorn, hammer, run_jobs

THREADS = 8


def _availability_path() -> tuple[str, int, int]:
    """The benchmark's request, and its query counts computed (cache miss) and cached (hit)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    data.studio()
    (specialist,), service = data.specialists(1)
    data.bookings(specialist, service, data.clients(20), 300)
    first = data.first_day()
    path = "/api/availability/?" + urlencode(
        {
            "service": service.slug,
            "start": first.isoformat(),
            "end": (first + timedelta(days=30)).isoformat(),
            "specialist": specialist.pk,
            "tz": "Europe/London",
        }
    )
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(path)
        assert response.status_code == 200, response.content
        assert len(response.json()["slots"]) > 0
        counts.append(len(queries))
    return path, counts[0], counts[1]


def _measure(path: str, requests: int, seconds: float, **settings: str):
    """(healthz, availability, availability re-asked with its ETag) load results on one fresh
    server."""
    with gunicorn(**settings) as port:
        hammer(port, "/healthz", threads=THREADS, requests=50, max_seconds=5)  # warm up
        hammer(port, path, threads=THREADS, requests=20, max_seconds=5)
        health = hammer(port, "/healthz", threads=THREADS, requests=requests, max_seconds=seconds)
        avail = hammer(port, path, threads=THREADS, requests=requests, max_seconds=seconds)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        etag = conn.getresponse().getheader("ETag")
        conn.close()
        jobs = [(port, "GET", path, None, {"If-None-Match": etag})] * requests
        polled = run_jobs(jobs, threads=THREADS, max_seconds=seconds)
    for load, name in ((health, "/healthz"), (avail, "availability")):
        assert set(load.statuses) == {200}, f"{name}: {load.statuses}"
    assert set(polled.statuses) == {304}, f"If-None-Match: {polled.statuses}"
    return health, avail, polled


def main() -> list[Row]:
    path, computed, cached = _availability_path()
    requests, seconds = scale(3000, 600), scale(12, 5)
    health, avail, polled = _measure(path, requests, seconds)
    # The same request with the availability cache off: every answer computed afresh.
    cold_health, cold, _ = _measure(path, requests, seconds, AVAILABILITY_CACHE_SECONDS="0")
    ratio, cold_ratio = avail.rps / health.rps, cold.rps / cold_health.rps
    setup = f"gunicorn {WORKERS} sync workers, {THREADS} client threads"
    return [
        Row(
            "a", f"GET /healthz ({setup})", f"{health.rps:.0f} req/s, p95 {health.pct(0.95):.0f} ms"
        ),
        Row(
            "a",
            "GET /api/availability/ 1 specialist x 31 days, 300 bookings",
            f"{avail.rps:.0f} req/s, p95 {avail.pct(0.95):.0f} ms; "
            f"{cached} queries cached, {computed} computed",
        ),
        Row("a", "availability / healthz throughput", f"{ratio:.0%}", ">= 50%", ratio >= 0.5),
        Row(
            "a",
            "the same re-asked with its ETag (If-None-Match): 304 Not Modified, no body",
            f"{polled.rps:.0f} req/s, p95 {polled.pct(0.95):.0f} ms "
            f"({polled.rps / health.rps:.0%} of healthz)",
        ),
        Row(
            "a",
            "the same with the availability cache off (AVAILABILITY_CACHE_SECONDS=0)",
            f"{cold.rps:.0f} req/s vs healthz {cold_health.rps:.0f}: {cold_ratio:.0%}",
        ),
    ]
