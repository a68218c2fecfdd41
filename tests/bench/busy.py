"""What the busy-hour (g) and production-stack (h) benchmarks share: the visitors' questions,
the free slots the bookings take, and the arrivals of an open-loop load."""

import json
import random
from datetime import date, datetime, timedelta
from datetime import time as clock
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tests.bench.server import Arrival

# Visitors' zones: where a studio's clients browse from.
ZONES = ["America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "Australia/Sydney"]
WEEKS = 4  # visitors ask for the next four weeks


def questions(service: str, specialists: list[int], first: date) -> list[str]:
    """GET paths of the next four weeks of one specialist, one per (specialist, zone)."""
    last = first + timedelta(days=7 * WEEKS - 1)
    return [
        "/api/availability/?"
        + urlencode(
            {
                "service": service,
                "start": first.isoformat(),
                "end": last.isoformat(),
                "specialist": specialist,
                "tz": zone,
            }
        )
        for specialist in specialists
        for zone in ZONES
    ]


def free_starts(specialists: list[int], first: date, zone: str, seed: int = 20) -> list[tuple]:
    """(specialist, ISO start) at half past each hour 08:30-19:30 (tests/bench/data.py's
    bookings take the hours) over the four weeks, shuffled: every booking a distinct slot."""
    tz = ZoneInfo(zone)
    starts = [
        (specialist, datetime.combine(first + timedelta(days=d), clock(h, 30), tzinfo=tz))
        for specialist in specialists
        for d in range(1, 7 * WEEKS)
        for h in range(8, 20)
    ]
    random.Random(seed).shuffle(starts)
    return [(specialist, start.isoformat()) for specialist, start in starts]


def reads(paths: list[str], *, rate: float, seconds: float, seed: int = 9) -> list[Arrival]:
    """Poisson arrivals of availability reads at `rate` a second, each a random question."""
    rng, at, made = random.Random(seed), 0.0, []
    while True:
        at += rng.expovariate(rate)
        if at >= seconds:
            return made
        made.append(Arrival(at, "read", "GET", rng.choice(paths)))


def bookings(
    service: str, slots: list[tuple], *, every: float, seconds: float, offset: float = 0.0
) -> list[Arrival]:
    """A guest booking every `every` seconds, each taking the next free slot of `slots`."""
    made, n = [], 0
    while offset + n * every < seconds:
        specialist, start = slots.pop()
        body = {
            "service": service,
            "specialist": specialist,
            "start": start,
            "name": f"Bench Guest {n}",
            "email": f"guest{n}@load.bench.test",
        }
        made.append(
            Arrival(
                offset + n * every,
                "booking",
                "POST",
                "/api/bookings/",
                json.dumps(body).encode(),
                {"Content-Type": "application/json"},
            )
        )
        n += 1
    return made
