"""100 bookings at once against a balance of 1 credit: one is paid, 99 are refused.

Real threads, each with its own database connection, released together by a barrier. The
guard is the client's row lock on PostgreSQL and the IMMEDIATE transaction on SQLite; a first
test switches it off and shows the race then does harm (PostgreSQL: several consumes spend the
one credit; SQLite: writers collide with "database is locked" errors, since SQLite never lets
a writer commit over a stale read), so the guarded run means something.
"""

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.utils import timezone

from bookings.passes import ledger
from bookings.passes.models import CreditEntry
from bookings.passes.selectors import credits_balance
from tests import factories

from .conftest import grant

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 100


@pytest.fixture
def hundred_bookings(client_profile, mat_class, pack):
    """One credit, and 100 bookings of the client waiting to be paid with it."""
    grant(client_profile, pack, credits=1)
    base = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    return [
        factories.BookingFactory(
            client=client_profile,
            service=mat_class,
            start=base + timedelta(hours=i),
            payment_method="credits",
            care_team=i == 0,
        )
        for i in range(THREADS)
    ]


def connect() -> None:
    """Open this thread's connection. PostgreSQL here allows 100 connections in all (shared with
    the test itself and other sessions), so a thread that finds the server full waits for one
    of the first finishers to close theirs; the rest still run at the same moment."""
    for _ in range(200):
        try:
            connection.ensure_connection()
            return
        except OperationalError as exc:
            if "too many clients" not in str(exc):
                raise
            time.sleep(0.05)
    connection.ensure_connection()


def stampede(bookings) -> Counter:
    """Every booking tries to consume at the same moment; counts the outcomes."""
    barrier = threading.Barrier(len(bookings))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(booking):
        try:
            barrier.wait()
            connect()
            ledger.credit_consume(booking=booking, by=None)
            result = "paid"
        except ledger.NoCredits:
            result = "no_credits"
        except OperationalError as exc:
            result = f"error: {exc}"[:40]
        finally:
            connections.close_all()
        with lock:
            outcomes[result] += 1

    threads = [threading.Thread(target=run, args=(b,)) for b in bookings]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_ledger_without_the_guard_concurrent_consumes_race(hundred_bookings, monkeypatch):
    if connection.vendor == "postgresql":
        monkeypatch.setattr(ledger, "lock_client", lambda client_id: None)
    else:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")

    outcomes = stampede(hundred_bookings)

    print(f"\nguard off ({connection.vendor}): {dict(outcomes)}")
    raced = outcomes["paid"] > 1 or any(k.startswith("error") for k in outcomes)
    assert raced, outcomes


def test_ledger_hundred_simultaneous_consumes_of_one_credit_give_one(
    hundred_bookings, client_profile
):
    outcomes = stampede(hundred_bookings)

    print(f"\nguarded ({connection.vendor}): {dict(outcomes)}")
    assert outcomes == Counter({"paid": 1, "no_credits": THREADS - 1})
    assert CreditEntry.objects.filter(kind="consume").count() == 1
    assert credits_balance(client_id=client_profile.pk) == 0
