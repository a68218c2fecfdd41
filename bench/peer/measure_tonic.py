"""Tonic: its own .venv, the bench machinery of tests/bench/, its own SQLite file. Prints one
JSON line.

Run by driver.py with .venv/bin/python; BENCH_FIRST, BENCH_ZONE, BENCH_RUNS set.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import common

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.pop("DATABASE_URL", None)  # SQLite, like the peer
os.environ.pop("CACHE_URL", None)
os.environ.pop(
    "CELERY_BROKER_URL", None
)  # /healthz pings the filesystem broker, whatever the shell
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "DEBUG": "false",  # as in production, like the peer: no query log kept in memory
        "SECRET_KEY": "bench-only-not-secret",
        "SECURE_SSL_REDIRECT": "false",
        "RATE_LIMITS": "off",
        "EMAIL_URL": "memorymail://",
        "LOG_LEVEL": "WARNING",
    }
)

import django  # noqa: E402

from tests.bench import data, db  # noqa: E402
from tests.bench.server import gunicorn  # noqa: E402

db.VAR = ROOT / "var" / "bench-peer" / "tonic"  # not var/bench/: `make bench` may run meanwhile
data.ZONE = common.ZONE  # the specialist's zone: the peer's TIME_ZONE


def build():
    """tests/bench's data (a): one specialist 08:00-20:00 every day, one 30-minute service,
    300 confirmed bookings, 10 a day from the first day of the window."""
    db.create()
    django.setup()
    db.migrate()
    studio = data.studio()  # no minimum notice, a 90-day horizon
    studio.slot_granularity_minutes = 30  # the peer's slot step (Tonic's default is 15)
    studio.save()
    (specialist,), service = data.specialists(1)
    data.bookings(
        specialist, service, data.clients(common.CLIENTS), common.BOOKINGS, start_day=common.FIRST
    )
    return specialist, service


def served(path: str, **settings: str) -> dict:
    """Requests/s of `path` and of /healthz on one gunicorn of Tonic's (tests/bench/server.py:
    the bench database, as db.create() put it in DATABASE_URL; settings: extra environment)."""
    with gunicorn(**settings) as port:
        figures = common.throughput(port, "/healthz", path)
    figures["slots"] = len(json.loads(figures.pop("body"))["slots"])
    return figures


def main() -> None:
    specialist, service = build()
    from django.test import Client

    from bookings import selectors

    zone = ZoneInfo(common.ZONE)
    first, last = common.FIRST, common.FIRST + timedelta(days=common.DAYS - 1)

    def month():
        slots, _ = selectors.availability(
            service=service, start=first, end=last, zone=zone, specialist=specialist.pk
        )
        return slots

    client = Client()
    query = common.tonic_month_query(service.slug, specialist.pk)

    def month_http():
        response = client.get("/api/availability/", query)
        assert response.status_code == 200, response.content
        return len(response.json()["slots"])

    from django.test import override_settings

    ms, queries, slots = common.measure(month)
    with override_settings(AVAILABILITY_CACHE_SECONDS=0):  # every answer computed afresh
        http_ms, http_queries, http_slots = common.measure(month_http)
    # As served: a repeated question is answered from the availability cache
    # (bookings/availability_cache.py), until a booking or schedule change drops it.
    cached_ms, cached_queries, cached_slots = common.measure(month_http)
    path = "/api/availability/?" + urlencode(query)
    gunicorn_served = served(path)
    gunicorn_computed = served(path, AVAILABILITY_CACHE_SECONDS="0")
    common.emit(
        {
            "name": "Tonic",
            "django": django.get_version(),
            "ms": ms,
            "queries": queries,
            "http_ms": http_ms,
            "http_queries": http_queries,
            "http_requests": 1,
            "cached_ms": cached_ms,
            "cached_queries": cached_queries,
            "cached_slots": cached_slots,
            "gunicorn": gunicorn_served,
            "gunicorn_computed": gunicorn_computed,
            "slots": len(slots),
            "http_slots": http_slots,
            "starts": sorted(s.start.astimezone(zone).strftime("%Y-%m-%dT%H:%M") for s in slots),
        }
    )


if __name__ == "__main__":
    main()
