"""Twenty cancels at once with thirty waiting: exactly twenty offers, to positions 1-20, no
duplicates, on SQLite and on PostgreSQL (live server, real threads). A first test switches the
guard off (no class row lock on PostgreSQL, DEFERRED transactions on SQLite) and shows that the
race then does harm, so the guarded run means something."""

from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from bookings import services as booking_services
from bookings.classes import hooks, places, services, waitlist
from bookings.classes.models import ClassOccurrence, WaitlistEntry, WaitlistOffer
from bookings.models import Booking
from tests import factories
from tests.fixtures.stampede import InFlight, post_at_once

pytestmark = [pytest.mark.django_db(transaction=True)]

CANCELS, WAITING = 20, 30


def setup_class(make_class, days: int, tag: str):
    occurrence = make_class(capacity=CANCELS, days=days)
    places = [
        services.class_book(
            occurrence=occurrence,
            user=factories.ClientFactory(user__email=f"{tag}p{i}@ex.org").user,
        )[0]
        for i in range(CANCELS)
    ]
    for i in range(WAITING):
        waitlist.waitlist_join(
            occurrence=occurrence,
            client=factories.ClientFactory(user__email=f"{tag}w{i}@ex.org"),
        )
    return occurrence, places


def cancel_all_at_once(live_server, places) -> tuple[Counter, InFlight]:
    statuses, _, server = post_at_once(
        live_server,
        [f"/api/bookings/{booking.pk}/cancel/" for booking in places],
        [{"token": booking.manage_token} for booking in places],
    )
    print(f"\n[{connection.vendor}] cancels: {dict(Counter(statuses))}, in flight: {server.most}")
    return Counter(statuses), server


def offered_positions(occurrence) -> list[int]:
    """The line positions (1 = first to join) of every offer made, one item per offer."""
    order = list(
        WaitlistEntry.objects.filter(occurrence=occurrence)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    offers = WaitlistOffer.objects.filter(occurrence=occurrence).values_list("entry_id", flat=True)
    return sorted(order.index(entry) + 1 for entry in offers)


@pytest.fixture
def guard_off(monkeypatch):
    if connection.vendor == "postgresql":

        def unlocked(occurrence):
            return ClassOccurrence.objects.select_related(
                "class_type", "instructor__user", "resource"
            ).get(pk=occurrence.pk)

        def booking_only(booking):
            # booking_cancel's own lock also takes the class's (hidden) service row, which
            # queues cancels of one class just as well; lock the booking row alone.
            return Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)

        monkeypatch.setattr(places, "lock", unlocked)
        monkeypatch.setattr(hooks, "place_lock", lambda booking: None)
        monkeypatch.setattr(booking_services, "_locked", booking_only)
        yield "no class row lock"
    else:
        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")
        yield "DEFERRED transactions"


def test_without_the_guard_concurrent_cancels_make_wrong_offers(live_server, make_class, guard_off):
    harmed = False
    for n in range(3):
        occurrence, places = setup_class(make_class, 3 + n, f"off{n}")
        statuses, server = cancel_all_at_once(live_server, places)
        assert server.most > 1, "the requests never overlapped"
        positions = offered_positions(occurrence)
        harmed = statuses[500] > 0 or positions != list(range(1, CANCELS + 1))
        if harmed:
            break
    assert harmed, f"the race did no harm without the guard ({guard_off})"


def test_twenty_concurrent_cancels_give_twenty_offers_to_the_first_twenty(live_server, make_class):
    occurrence, places = setup_class(make_class, 3, "on")
    mail.outbox.clear()
    statuses, server = cancel_all_at_once(live_server, places)
    assert server.most > 1, "the requests never overlapped"
    assert statuses == Counter({200: CANCELS})
    assert offered_positions(occurrence) == list(range(1, CANCELS + 1))
    offer_mails = Counter(m.to[0] for m in mail.outbox if "A place is free" in m.subject)
    assert offer_mails == Counter({f"onw{i}@ex.org": 1 for i in range(CANCELS)})
