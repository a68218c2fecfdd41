"""(c) The owner's studio ICS feed (/calendar/<token>.ics) with 5,000 bookings, rendered in
process through the full Django stack (no HTTP socket)."""

import statistics
import time

from tests.bench import data
from tests.bench.report import Row, scale

SPECIALISTS = 10


def main() -> list[Row]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bookings.calendars.feeds import feed_url
    from bookings.models import CalendarFeed

    total = scale(5000, 1000)
    data.studio()
    owner, _ = data.owner()
    specs, service = data.specialists(SPECIALISTS)
    people = data.clients(200)
    for spec in specs:
        data.bookings(spec, service, people, total // SPECIALISTS)
    feed = CalendarFeed.objects.create(user=owner, kind=CalendarFeed.Kind.STUDIO)
    path = feed_url(feed).split("://", 1)[-1].split("/", 1)[-1]
    http = Client()
    timings, body, queries = [], b"", 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = http.get(f"/{path}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, response.status_code
        queries = len(captured)
    events = body.count(b"BEGIN:VEVENT")
    assert events == total, f"{events} events for {total} bookings"
    median = statistics.median(timings)
    return [
        Row(
            "c",
            f"studio ICS feed, {total:,} bookings ({len(body) / 1e6:.1f} MB, {queries} queries)",
            f"median {median * 1000:.0f} ms, first {timings[0] * 1000:.0f} ms",
            "< 1 s" if total == 5000 else "",
            median < 1 if total == 5000 else None,
        )
    ]
