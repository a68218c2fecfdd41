"""Never double-booked: many people POST the same slot at a live server at the same moment.

The guarded run must give exactly one 201 and 409 for everyone else. That only means something
if the requests really overlapped, so every run measures, on the server, how many requests were
in flight at once, and a first test switches the guard off and shows the race then does harm.
"Off" removes only what queues the writers; every request still re-checks the slot inside its
transaction, so each extra winner is a request that passed the re-check while another was
between its own re-check and commit: a real interleaving, not a skipped check.
- PostgreSQL: the guard is the specialist row lock taken before the re-check plus the exclusion
  constraint `booking_no_overlap`; both go (the lock function is replaced by a no-op, the
  constraint dropped). READ COMMITTED transactions do not see each other's uncommitted rows,
  so several requests book the slot.
- SQLite: the guard is the IMMEDIATE transaction; the database is switched to DEFERRED. SQLite
  never lets a writer commit over a stale read, so the race shows up as "database is locked"
  errors (500s) instead of a second booking, which the test catches just the same.
A PostgreSQL-only test then keeps the constraint but drops the lock: the constraint alone still
gives one 201 and 409s (its refusals and the deadlocks between conflicting inserts translated).
"""

import importlib
import json
import urllib.error
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Studio
from bookings import selectors, services
from bookings.models import Booking
from tests import factories
from tests.fixtures.stampede import post_at_once

pytestmark = [pytest.mark.django_db(transaction=True)]

REQUESTS = 24
# The current definition of booking_no_overlap (0006 left class places out of it).
NO_OVERLAP = importlib.import_module("bookings.migrations.0006_classes")


@pytest.fixture
def studio_desk(db):
    """A specialist working every day 09-17 New York and a free 30-minute service."""
    studio = Studio.get()
    studio.min_notice_hours = 1
    studio.save()
    specialist = factories.SpecialistFactory()
    factories.weekday_hours(specialist, weekdays=range(7))
    service = factories.ServiceFactory(slug="consultation", duration_minutes=30)
    service.specialists.add(specialist)
    return specialist, service


def free_slots(live_server, count):
    """The first `count` free starts, from the live server's own availability endpoint."""
    today = timezone.now().date()
    query = (
        f"service=consultation&start={today + timedelta(days=1)}&end={today + timedelta(days=8)}"
    )
    with urllib.request.urlopen(f"{live_server.url}/api/availability/?{query}") as response:
        slots = json.load(response)["slots"]
    # Slots two hours apart, so one round's bookings never overlap another round's slot.
    return [slot["start"] for slot in slots[::8]][:count]


def stampede(live_server, specialist, start, tag):
    """REQUESTS guests POST the same start at once; returns status counts and the server's view."""
    bodies = [
        {
            "service": "consultation",
            "specialist": specialist.pk,
            "start": start,
            "name": f"Guest {i}",
            "email": f"{tag}-{i}@example.org",
        }
        for i in range(REQUESTS)
    ]
    statuses, _, server = post_at_once(live_server, "/api/bookings/", bodies)
    return Counter(statuses), server


def overlapping_confirmed(specialist) -> int:
    """How many held/confirmed bookings of this specialist overlap another one."""
    rows = list(
        Booking.objects.filter(specialist=specialist, status__in=Booking.BLOCKING).values_list(
            "pk", "blocked_start", "blocked_end"
        )
    )
    return sum(any(o != pk and s < e2 and s2 < e for o, s2, e2 in rows) for pk, s, e in rows)


def report(label, statuses, server):
    print(
        f"\n[{connection.vendor}] {label}: {dict(sorted(statuses.items(), key=str))}, "
        f"most requests in flight at once on the server: {server.most}"
    )


def no_lock(monkeypatch):
    """Writers no longer queue behind the specialist's row lock (the re-check stays)."""
    monkeypatch.setattr(services, "lock_specialists", lambda specialists: None)
    monkeypatch.setattr(
        services,
        "offering_locked",
        lambda service, specialist: selectors.specialists_for(service, only=specialist),
    )


@pytest.fixture
def guard_off(monkeypatch):
    """Switch the guard off for the live server's requests (its threads share this process)."""
    if connection.vendor == "postgresql":
        no_lock(monkeypatch)
        with connection.cursor() as cursor:
            cursor.execute(NO_OVERLAP.DROP)
        yield "no row lock, booking_no_overlap dropped"
        # The race just made overlapping rows; clear them so the constraint can come back.
        Booking.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(NO_OVERLAP.CREATE)
    else:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        # Each live-server request opens a new connection, which reads this.
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")
        yield "DEFERRED instead of IMMEDIATE transactions"


def test_without_the_guard_concurrent_bookings_race(live_server, studio_desk, guard_off):
    specialist, _ = studio_desk
    rounds = []
    # The race is a matter of timing: give it three slots to show itself.
    for n, start in enumerate(free_slots(live_server, 3)):
        statuses, server = stampede(live_server, specialist, start, f"off{n}")
        report(f"guard off ({guard_off}), round {n + 1}", statuses, server)
        rounds.append((statuses, server))
        if statuses[201] > 1 or statuses[500]:
            break
    statuses, server = rounds[-1]
    assert server.most > 1, "the requests never overlapped: this test could not see a race"
    if connection.vendor == "postgresql":
        assert statuses[201] > 1, f"no double booking without the constraint: {statuses}"
        assert overlapping_confirmed(specialist) == statuses[201]
    else:
        assert statuses[500] > 0, f"no lost race without IMMEDIATE: {statuses}"
        assert any("database is locked" in error for error in server.errors)
        assert overlapping_confirmed(specialist) == 0  # SQLite itself refused the stale writes
    assert not (statuses[201] == 1 and statuses[409] == REQUESTS - 1)


def test_concurrent_bookings_for_one_slot_exactly_one_wins(live_server, studio_desk):
    specialist, _ = studio_desk
    [start] = free_slots(live_server, 1)
    statuses, server = stampede(live_server, specialist, start, "on")
    report("guard on", statuses, server)
    assert statuses == Counter({201: 1, 409: REQUESTS - 1})
    assert server.most > 1, "the requests never overlapped: the result above proves nothing"
    assert server.errors == []
    assert Booking.objects.filter(specialist=specialist, status="confirmed").count() == 1
    assert overlapping_confirmed(specialist) == 0


@pytest.mark.postgres
def test_the_constraint_alone_still_gives_one_winner_and_409s(
    live_server, studio_desk, monkeypatch
):
    specialist, _ = studio_desk
    no_lock(monkeypatch)
    [start] = free_slots(live_server, 1)
    statuses, server = stampede(live_server, specialist, start, "constraint")
    report("constraint only (no row lock)", statuses, server)
    assert statuses == Counter({201: 1, 409: REQUESTS - 1})
    assert server.errors == []
    assert overlapping_confirmed(specialist) == 0
