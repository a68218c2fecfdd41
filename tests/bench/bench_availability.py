"""Availability endpoint latency: one specialist, 31 days, 300 existing bookings."""

import statistics
import time
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

RUNS = 30


def _setup():
    from accounts.models import ClientProfile, SpecialistProfile, Studio, User
    from bookings.models import Booking, Service, WeeklyHours

    studio = Studio.get()
    studio.min_notice_hours = 0
    studio.booking_horizon_days = 90
    studio.save()
    user = User.objects.create_user(email="bench@example.org", role=User.Role.SPECIALIST)
    specialist = SpecialistProfile.objects.create(user=user, timezone="America/New_York")
    client_user = User.objects.create_user(email="bench-client@example.org")
    client = ClientProfile.objects.create(user=client_user)
    WeeklyHours.objects.bulk_create(
        WeeklyHours(specialist=specialist, weekday=d, start=clock(8), end=clock(20))
        for d in range(7)
    )
    service = Service.objects.create(slug="bench", name="Bench", duration_minutes=30)
    service.specialists.add(specialist)
    zone = ZoneInfo("America/New_York")
    first_day = (datetime.now(zone) + timedelta(days=1)).date()
    starts = [
        datetime.combine(first_day + timedelta(days=i // 10), clock(8), tzinfo=zone)
        + timedelta(hours=i % 10)
        for i in range(300)
    ]
    Booking.objects.bulk_create(
        Booking(
            client=client,
            specialist=specialist,
            service=service,
            start=s,
            end=s + timedelta(minutes=30),
            blocked_start=s,
            blocked_end=s + timedelta(minutes=30),
            status="confirmed",
        )
        for s in starts
    )
    return specialist, first_day


def main() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    specialist, first_day = _setup()
    http = Client()
    query = {
        "service": "bench",
        "start": first_day.isoformat(),
        "end": (first_day + timedelta(days=30)).isoformat(),
        "specialist": specialist.pk,
        "tz": "Europe/London",
    }
    for _ in range(3):  # warm up
        http.get("/api/availability/", query)
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = http.get("/api/availability/", query)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.content
    with CaptureQueriesContext(connection) as queries:
        slots = http.get("/api/availability/", query).json()["slots"]
    timings.sort()
    print(
        f"availability [{connection.vendor}] 1 specialist, 31 days, 300 bookings, "
        f"{len(slots)} free slots, {len(queries)} queries: "
        f"median {statistics.median(timings):.1f} ms, "
        f"p95 {timings[int(RUNS * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms ({RUNS} runs)"
    )
