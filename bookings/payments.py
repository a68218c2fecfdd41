"""Stripe payments for bookings. The booking services call the hooks below.

Hooks (called by bookings/services.py):
- stripe_enabled(): whether Stripe keys are configured.
- payment_start(booking): inside booking_create's transaction, after the row exists, for a
  service with an amount due; returns the API's `payment` object.
- payment_on_cancel(booking, by): inside booking_cancel's transaction, after the status is set
  and `late_cancellation` decided; refunds per policy after commit.

Stripe outage while booking: the PaymentIntent is created inside booking_create's transaction
with a short timeout and no retry (so a dead Stripe cannot hold the database for long). If
Stripe cannot be reached the booking is still created `held` (the slot is the client's for
`Studio.hold_minutes`) and `payment` comes back with `payment_intent` and `client_secret` null
and `"status": "unavailable"`; the pay page (`pay_url`) creates the intent when Stripe answers
again, with the same idempotency key (the booking's UID), so a request that reached Stripe
before timing out is replayed, never doubled. An unpaid hold expires and frees the slot as
usual. No money can be taken without a stored booking: an intent is only paid through its
client secret, which Tonic hands out only for a committed booking.

Other modules: payments_sync (apply intents, release holds), payments_refunds (policy and
refunds), payments_transitions (confirm/release a booking), stripe_webhooks (the endpoint),
tasks_payments (Celery), payments_views (pay page, staff payments page).
"""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from accounts.models import User

from .models import Booking, BookingEvent, Payment
from .payments_refunds import payment_refund_request, refund_policy_amount
from .stripe_client import StripeUnavailable, as_dict, call, intent_key, stripe_client

log = logging.getLogger(__name__)
START_TIMEOUT_SECONDS = 5


def stripe_enabled() -> bool:
    """Stripe is on when a secret key is configured (the embedded default has none)."""
    return bool(settings.STRIPE_SECRET_KEY)


def pay_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("payments-pay", args=[booking.manage_token])


def payment_json(booking: Booking, payment: Payment | None) -> dict:
    """The API's `payment` object for a booking paid by card."""
    return {
        "method": "stripe",
        "payment_intent": payment.payment_intent if payment else None,
        "client_secret": payment.client_secret if payment else None,
        "amount": booking.amount_due,
        "currency": booking.currency,
        "pay_url": pay_url(booking),
        "status": payment.status if payment else "unavailable",
    }


def _open_payment(booking: Booking) -> Payment | None:
    return (
        booking.payments.exclude(status=Payment.Status.CANCELLED)
        .order_by("-created", "-pk")
        .first()
    )


def _intent_create(booking: Booking, *, timeout: float, retries: int) -> Payment:
    """Create the booking's PaymentIntent (idempotent per booking). Raises StripeUnavailable."""
    client = stripe_client(timeout=timeout, retries=retries)
    intent = as_dict(
        call(
            client.v1.payment_intents.create,
            params={
                "amount": booking.amount_due,
                "currency": booking.currency.lower(),
                "metadata": {"booking": str(booking.pk), "booking_uid": booking.uid},
            },
            options={"idempotency_key": intent_key(booking)},
        )
    )
    payment, _ = Payment.objects.get_or_create(
        payment_intent=intent["id"],
        defaults={
            "booking": booking,
            "client_secret": intent["client_secret"],
            "amount": intent["amount"],
            "currency": intent["currency"].upper(),
        },
    )
    return payment


def payment_start(booking: Booking) -> dict | None:
    """Start collecting the amount due for a new booking; None when nothing is due."""
    if booking.amount_due <= 0:
        return None
    if not stripe_enabled():
        booking.payment_method = Booking.PaymentMethod.IN_STUDIO
        booking.save(update_fields=["payment_method", "updated"])
        return {"method": "in_studio", "amount": booking.amount_due, "currency": booking.currency}
    if booking.payment_method != Booking.PaymentMethod.STRIPE:
        booking.payment_method = Booking.PaymentMethod.STRIPE
        booking.save(update_fields=["payment_method", "updated"])
    payment = _open_payment(booking)
    if payment is None:
        try:
            payment = _intent_create(booking, timeout=START_TIMEOUT_SECONDS, retries=0)
        except StripeUnavailable as exc:
            log.warning("stripe unavailable creating intent for booking %s: %s", booking.pk, exc)
    return payment_json(booking, payment)


@transaction.atomic
def payment_ensure(*, booking: Booking) -> Payment | None:
    """The open payment of a held card booking, creating its intent if an outage prevented it.

    Returns None if the booking needs none or Stripe is still unreachable.
    """
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    payment = _open_payment(booking)
    if payment is not None or booking.status != Booking.Status.HELD or not stripe_enabled():
        return payment
    if booking.amount_due <= 0:
        return None
    try:
        return _intent_create(booking, timeout=START_TIMEOUT_SECONDS, retries=1)
    except StripeUnavailable:
        return None


def payment_on_cancel(booking: Booking, by: User | None = None) -> None:
    """Refund what the studio's policy gives back; cancel intents that were never paid.

    Stripe is called after commit by retried tasks, each refund with its idempotency key.
    """
    from .tasks_payments import payment_intent_cancel_task

    for payment in booking.payments.select_for_update():
        if payment.status in (Payment.Status.PENDING, Payment.Status.FAILED):
            payment_intent_cancel_task.delay_on_commit(payment.pk)
            continue
        if payment.paid_at is None:
            continue
        refund = refund_policy_amount(booking=booking, payment=payment, by=by)
        kept = payment.amount - payment.amount_refunded - refund
        BookingEvent.objects.create(
            booking=booking,
            kind="refund_policy",
            by=by,
            data={"refund": refund, "kept": kept, "late": booking.late_cancellation},
        )
        if refund > 0:
            reason = "Late cancellation" if booking.late_cancellation else "Cancelled in time"
            if by is not None and by.is_studio_staff:
                reason = "Cancelled by the studio"
            payment_refund_request(
                payment=payment,
                amount=refund,
                key=f"tonic-refund-{payment.payment_intent}-cancel-{booking.sequence}",
                reason=reason,
                by=by,
            )
