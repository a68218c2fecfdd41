"""Payments against a real localstripe: starting a payment, idempotency, outages, refunds."""

import pytest
from django.db import transaction

from accounts.models import Studio
from bookings.models import Booking, Payment, Refund
from bookings.payments.services import payment_ensure, payment_on_cancel, payment_start
from bookings.payments.sync import payment_sync
from tests import factories
from tests.fixtures.stripe import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]


def start(booking):
    with transaction.atomic():
        return payment_start(booking)


def pay(stripe_on, booking) -> Payment:
    """Start, pay at localstripe (as Stripe.js would) and apply: a confirmed, paid booking."""
    data = start(booking)
    stripe_on.pay(data["payment_intent"])
    payment = Payment.objects.get(payment_intent=data["payment_intent"])
    payment_sync(payment=payment)
    payment.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    return payment


def cancel(booking, *, late: bool, by=None, capture=None):
    """What booking_cancel does around the hook: status, late flag, then payment_on_cancel."""
    with capture(execute=True):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().get(pk=booking.pk)
            booking.status = Booking.Status.CANCELLED
            booking.late_cancellation = late
            booking.sequence += 1
            booking.save()
            payment_on_cancel(booking, by)
    return booking


def test_payment_start_creates_an_intent_for_the_held_booking(stripe_on, unpaid_hold):
    data = start(unpaid_hold)

    assert data["payment_intent"].startswith("pi_")
    assert data["client_secret"].startswith(data["payment_intent"])
    assert (data["amount"], data["currency"]) == (2000, "USD")
    assert data["pay_url"].endswith(f"/bookings/pay/{unpaid_hold.manage_token}/")
    intent = stripe_on.intent(data["payment_intent"])
    assert (intent.amount, intent.currency, intent.status) == (
        2000,
        "usd",
        "requires_payment_method",
    )
    assert intent.metadata.booking == str(unpaid_hold.pk)
    payment = Payment.objects.get(booking=unpaid_hold)
    assert (payment.payment_intent, payment.status) == (data["payment_intent"], "pending")


def test_payment_start_twice_makes_one_intent(stripe_on, unpaid_hold):
    first = start(unpaid_hold)
    second = start(unpaid_hold)

    assert second["payment_intent"] == first["payment_intent"]
    assert Payment.objects.filter(booking=unpaid_hold).count() == 1
    listed = stripe_on.client.v1.payment_intents.list(params={"limit": 100}).data
    assert [i.id for i in listed if i.metadata.to_dict().get("booking") == str(unpaid_hold.pk)] == [
        first["payment_intent"]
    ]


def test_payment_start_without_stripe_books_pay_at_the_studio(settings, unpaid_hold):
    settings.STRIPE_SECRET_KEY = ""

    data = start(unpaid_hold)

    assert data == {"method": "in_studio", "amount": 2000, "currency": "USD"}
    unpaid_hold.refresh_from_db()
    assert unpaid_hold.payment_method == "in_studio"
    assert not Payment.objects.exists()


def test_payment_start_nothing_due_returns_none(stripe_on):
    booking = factories.BookingFactory(service=factories.ServiceFactory(price=0))
    assert start(booking) is None


def test_payment_start_during_a_stripe_outage_keeps_the_hold_and_pays_later(
    stripe_on, settings, unpaid_hold
):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    data = start(unpaid_hold)

    assert data["payment_intent"] is None and data["client_secret"] is None
    assert data["status"] == "unavailable" and data["pay_url"]
    unpaid_hold.refresh_from_db()
    assert unpaid_hold.status == "held"
    assert not Payment.objects.exists()

    settings.STRIPE_API_BASE = stripe_on.url  # Stripe is back: the pay page creates the intent
    payment = payment_ensure(booking=unpaid_hold)
    assert payment.payment_intent.startswith("pi_")
    assert stripe_on.intent(payment.payment_intent).metadata.booking == str(unpaid_hold.pk)
    assert payment_ensure(booking=unpaid_hold) == payment


def test_cancel_outside_the_window_refunds_in_full(
    stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    payment = pay(stripe_on, unpaid_hold)

    cancel(unpaid_hold, late=False, capture=django_capture_on_commit_callbacks)

    refunds = stripe_on.refunds(payment.payment_intent)
    assert [r.amount for r in refunds] == [2000]
    payment.refresh_from_db()
    assert (payment.amount_refunded, payment.status) == (2000, "refunded")
    assert Refund.objects.get(payment=payment).stripe_refund == refunds[0].id


def test_cancel_inside_the_window_keeps_the_deposit(
    stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    payment = pay(stripe_on, unpaid_hold)  # the $20 deposit of a $65 session

    cancel(unpaid_hold, late=True, capture=django_capture_on_commit_callbacks)

    assert stripe_on.refunds(payment.payment_intent) == []
    payment.refresh_from_db()
    assert (payment.amount_refunded, payment.status) == (0, "succeeded")
    policy = unpaid_hold.events.get(kind="refund_policy").data
    assert policy == {"refund": 0, "kept": 2000, "late": True}


@pytest.mark.parametrize(
    ("policy", "refunded"),
    [("keep_deposit", 4500), ("full", 6500), ("none", 0)],
)
def test_late_cancel_of_a_paid_in_full_session_follows_the_policy(
    stripe_on, django_capture_on_commit_callbacks, policy, refunded
):
    """A service priced $65 with a $20 deposit, paid in full at booking."""
    from django.utils import timezone

    Studio.objects.update_or_create(pk=1, defaults={"late_cancel_refund": policy})
    service = factories.ServiceFactory(price=6500, deposit=2000)
    booking = factories.BookingFactory(
        service=service,
        status="held",
        amount_due=6500,
        hold_expires_at=timezone.now() + timezone.timedelta(minutes=15),
    )
    payment = pay(stripe_on, booking)

    cancel(booking, late=True, capture=django_capture_on_commit_callbacks)

    assert sum(r.amount for r in stripe_on.refunds(payment.payment_intent)) == refunded
    payment.refresh_from_db()
    assert payment.amount_refunded == refunded


def test_cancel_by_the_studio_refunds_in_full_even_late(
    stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    payment = pay(stripe_on, unpaid_hold)

    cancel(
        unpaid_hold,
        late=True,
        by=factories.owner(email="o@example.org"),
        capture=django_capture_on_commit_callbacks,
    )

    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]


def test_cancel_of_an_unpaid_hold_cancels_its_intent(
    stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    data = start(unpaid_hold)

    cancel(unpaid_hold, late=False, capture=django_capture_on_commit_callbacks)

    assert stripe_on.intent(data["payment_intent"]).status == "canceled"
    assert Payment.objects.get().status == "cancelled"


def test_refund_delivered_twice_refunds_once(stripe_on, unpaid_hold):
    from bookings.payments.refunds import payment_refund_execute

    payment = pay(stripe_on, unpaid_hold)

    for _ in range(2):  # e.g. the worker died after Stripe answered and the row was re-sent
        payment_refund_execute(
            payment_id=payment.pk, amount=2000, key="tonic-test-key", reason="test"
        )

    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]
    assert Refund.objects.count() == 1
