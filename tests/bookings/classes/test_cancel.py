"""Cancelling a class: every place cancelled by the studio (refunded in full) in one
transaction, each attendee told exactly once with a calendar CANCEL, nobody else's details."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings.classes import services, waitlist
from bookings.classes.models import UnitClaim, WaitlistEntry
from bookings.classes.resources import resource_create
from bookings.models import Booking, Payment
from bookings.money import booking_money
from bookings.payments.sync import payment_hold_release, payment_sync
from studio.kernel.errors import Conflict
from studio.kernel.outbox import outbox_sweep
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_class(make_class):
    reformers = resource_create(slug="reformers", name="Reformers", units=3)
    occurrence = make_class(capacity=3, resource=reformers)
    people = [factories.ClientFactory(user__email=f"a{i}@example.org") for i in range(3)]
    for client in people:
        services.class_book(occurrence=occurrence, user=client.user)
    waitlist.waitlist_join(
        occurrence=occurrence, client=factories.ClientFactory(user__email="w@example.org")
    )
    return occurrence, people


def test_cancelling_a_class_cancels_and_tells_each_attendee_once(
    api_as, owner_user, booked_class, django_capture_on_commit_callbacks
):
    occurrence, people = booked_class
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner_user).post(
            f"/api/classes/{occurrence.pk}/cancel/", {}, format="json"
        )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    places = Booking.objects.filter(occurrence=occurrence)
    assert set(places.values_list("status", "late_cancellation")) == {("cancelled", False)}
    to_clients = Counter(
        m.to[0] for m in mail.outbox if m.to[0].startswith("a") and "cancelled" in m.subject.lower()
    )
    assert to_clients == Counter({f"a{i}@example.org": 1 for i in range(3)})
    for message in mail.outbox:
        if message.to[0].startswith("a"):
            others = {f"a{i}@example.org" for i in range(3)} - set(message.to)
            text = message.body + "".join(str(a[1]) for a in message.attachments)
            assert not any(other in text for other in others)
            assert any("METHOD:CANCEL" in str(a[1]) for a in message.attachments)
    assert not any(m.to == ["w@example.org"] for m in mail.outbox), (
        "no offers for a cancelled class"
    )
    assert WaitlistEntry.objects.get(occurrence=occurrence).status == "closed"
    assert not UnitClaim.objects.filter(active=True).exists()
    again = api_as(owner_user).post(f"/api/classes/{occurrence.pk}/cancel/", {}, format="json")
    assert again.status_code == 409


def test_a_class_cancel_is_all_or_nothing(owner_user, booked_class, monkeypatch):
    occurrence, _ = booked_class
    from bookings import services as booking_services

    real = booking_services.booking_cancel
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Conflict("boom")
        return real(**kwargs)

    monkeypatch.setattr(booking_services, "booking_cancel", failing)
    with pytest.raises(Conflict):
        services.occurrence_cancel(occurrence=occurrence, by=owner_user)
    assert set(Booking.objects.filter(occurrence=occurrence).values_list("status", flat=True)) == {
        "confirmed"
    }
    occurrence.refresh_from_db()
    assert occurrence.status == "scheduled"


def test_clients_cannot_cancel_a_class(api_as, booked_class):
    occurrence, people = booked_class
    response = api_as(people[0].user).post(
        f"/api/classes/{occurrence.pk}/cancel/", {}, format="json"
    )
    assert response.status_code == 403


def test_cancelling_a_class_refunds_a_card_payment_at_stripe(
    api_as, owner_user, make_class, stripe_on
):
    occurrence = make_class(capacity=4, price=2500)
    client = factories.ClientFactory()
    place, started = services.class_book(occurrence=occurrence, user=client.user)
    assert place.status == "held" and started is not None
    stripe_on.pay(started["payment_intent"])  # as Stripe.js would
    payment = Payment.objects.get(payment_intent=started["payment_intent"])
    payment_sync(payment=payment)
    place.refresh_from_db()
    assert place.status == "confirmed" and booking_money(place).paid_online == 2500

    response = api_as(owner_user).post(f"/api/classes/{occurrence.pk}/cancel/", {}, format="json")
    assert response.status_code == 200
    outbox_sweep()  # the refund is owed through the outbox, then made at Stripe once
    outbox_sweep()

    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2500]
    place = Booking.objects.get(pk=place.pk)
    money = booking_money(place)
    assert (place.status, money.refunded, money.balance_due) == ("cancelled", 2500, 0)


@pytest.mark.postgres
def test_releasing_a_lapsed_place_locks_the_class_before_the_place(make_class, stripe_on):
    """The hold-release job and a staff cancel of the class take the same two locks in the same
    order (the class, then the place), so neither can deadlock the other."""
    occurrence = make_class(capacity=4, price=2500)
    place, _ = services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
    Booking.objects.filter(pk=place.pk).update(
        hold_expires_at=timezone.now() - timedelta(minutes=1)
    )
    with CaptureQueriesContext(connection) as captured:
        assert payment_hold_release(booking_id=place.pk, now=timezone.now())
    # The locks each transaction of the job takes, in order (in a test, the job's transactions
    # are savepoints inside the test's own).
    transactions, depth = [], 0
    for query in captured:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT"):
            depth += 1
            if depth == 1:
                transactions.append([])
        elif sql.startswith(("RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            depth -= 1
        elif " FOR " in sql and "UPDATE" in sql and depth:
            transactions[-1].append(sql.split(" FROM ", 1)[1].split()[0].strip('"'))
    (releasing,) = [t for t in transactions if "bookings_classoccurrence" in t]
    assert releasing.index("bookings_classoccurrence") < releasing.index("bookings_booking")
    place.refresh_from_db()
    assert place.status == "cancelled"
