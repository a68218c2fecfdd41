"""Exactly the capacity is ever booked: 50 people POST the last place of a class at a live
server at the same moment; one gets 201 and 49 get 409 "full", on SQLite and on PostgreSQL.

As in tests/bookings/test_concurrency.py, a first test switches the guard off and shows the
race then does harm, so the guarded run means something: on PostgreSQL the occurrence's row
lock becomes a plain read (several requests then book the last place); on SQLite the
transactions become DEFERRED (the race then shows as "database is locked" errors)."""

from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count

from bookings.classes import places, services
from bookings.classes.models import ClassOccurrence
from bookings.models import Booking
from tests import factories
from tests.fixtures.stampede import InFlight, post_at_once

pytestmark = [pytest.mark.django_db(transaction=True)]

REQUESTS = 50


def rush(live_server, occurrence, tag: str) -> tuple[Counter, InFlight, Counter]:
    """REQUESTS guests ask for a place at once; returns statuses, the server's view, codes."""
    bodies = [{"name": f"Guest {i}", "email": f"{tag}-{i}@example.org"} for i in range(REQUESTS)]
    path = f"/api/classes/{occurrence.pk}/book/"
    statuses, codes, server = post_at_once(live_server, path, bodies)
    print(
        f"\n[{connection.vendor}] {tag}: {dict(Counter(statuses))}, in flight at once: {server.most}"
    )
    return Counter(statuses), server, Counter(codes)


@pytest.fixture
def last_place(make_class):
    """A class of 4 with 3 places booked."""
    occurrence = make_class(capacity=4)
    for client in factories.ClientFactory.create_batch(3):
        services.class_book(occurrence=occurrence, user=client.user)
    return occurrence


def booked(occurrence) -> int:
    return Booking.objects.filter(occurrence=occurrence, status__in=Booking.BLOCKING).count()


@pytest.fixture
def guard_off(monkeypatch):
    if connection.vendor == "postgresql":

        def unlocked(occurrence):
            return ClassOccurrence.objects.select_related(
                "class_type", "instructor__user", "resource"
            ).get(pk=occurrence.pk)

        monkeypatch.setattr(places, "lock", unlocked)
        yield "no row lock on the class"
    else:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")
        yield "DEFERRED instead of IMMEDIATE transactions"


def test_without_the_guard_the_last_place_races(live_server, make_class, guard_off):
    harmed = False
    for n in range(3):  # the race is a matter of timing: three tries to show itself
        occurrence = make_class(capacity=4, days=3 + n)
        for client in factories.ClientFactory.create_batch(3):
            services.class_book(occurrence=occurrence, user=client.user)
        statuses, server, _ = rush(live_server, occurrence, f"off{n}")
        assert server.most > 1, "the requests never overlapped: this test could not see a race"
        harmed = booked(occurrence) > 4 or statuses[500] > 0
        if harmed:
            break
    assert harmed, f"no overbooking and no error without the guard ({guard_off}): {statuses}"


def test_fifty_requests_for_the_last_place_give_one_201_and_49_full(live_server, last_place):
    statuses, server, codes = rush(live_server, last_place, "on")
    assert server.most > 1, "the requests never overlapped"
    assert statuses == Counter({201: 1, 409: REQUESTS - 1}), statuses
    assert codes == Counter({None: 1, "full": REQUESTS - 1})
    assert booked(last_place) == 4
    per_class = Booking.objects.values("occurrence").annotate(n=Count("pk"))
    assert all(row["n"] <= 4 for row in per_class)
