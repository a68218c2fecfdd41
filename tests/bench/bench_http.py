"""(a) GET /api/availability/ (1 specialist, 31 days, 300 bookings) throughput as a share of
GET /healthz throughput, same gunicorn server, same worker count, same load generator."""

from datetime import timedelta
from urllib.parse import urlencode

from tests.bench import data
from tests.bench.report import Row, scale
from tests.bench.server import WORKERS, gunicorn, hammer

THREADS = 8


def _availability_path() -> tuple[str, int]:
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
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200, response.content
    assert len(response.json()["slots"]) > 0
    return path, len(queries)


def main() -> list[Row]:
    path, queries = _availability_path()
    requests, seconds = scale(3000, 600), scale(12, 5)
    with gunicorn() as port:
        hammer(port, "/healthz", threads=THREADS, requests=50, max_seconds=5)  # warm up
        hammer(port, path, threads=THREADS, requests=20, max_seconds=5)
        health = hammer(port, "/healthz", threads=THREADS, requests=requests, max_seconds=seconds)
        avail = hammer(port, path, threads=THREADS, requests=requests, max_seconds=seconds)
    for load, name in ((health, "/healthz"), (avail, "availability")):
        assert set(load.statuses) == {200}, f"{name}: {load.statuses}"
    ratio = avail.rps / health.rps
    setup = f"gunicorn {WORKERS} sync workers, {THREADS} client threads"
    return [
        Row(
            "a", f"GET /healthz ({setup})", f"{health.rps:.0f} req/s, p95 {health.pct(0.95):.0f} ms"
        ),
        Row(
            "a",
            "GET /api/availability/ 1 specialist x 31 days, 300 bookings",
            f"{avail.rps:.0f} req/s, p95 {avail.pct(0.95):.0f} ms, {queries} queries",
        ),
        Row("a", "availability / healthz throughput", f"{ratio:.0%}", ">= 50%", ratio >= 0.5),
    ]
