"""Stripe payments for bookings. The booking services call the hooks below.

Hooks (called by bookings/services.py):
- stripe_enabled(): whether Stripe keys are configured.
- payment_method_for(amount_due): how a new booking will be paid, set on the row when it is
  inserted (card when Stripe is on, at the studio otherwise, free).
- payment_start(booking): after booking_create's transaction has committed, for a service with
  an amount due; returns the API's `payment` object.
- payment_on_cancel(booking, by): inside booking_cancel's transaction, after the status is set
  and `late_cancellation` decided; refunds per policy after commit.

Stripe is never called inside a database transaction: a Stripe that accepts the connection and
never answers would hold the transaction's locks (on SQLite, the one write lock of the whole
database) for the length of the timeout, and every other booking or enquiry would wait or fail.
So the hold commits first, then the PaymentIntent is created (`STRIPE_TIMEOUT_SECONDS`, no
retry while the client waits). If Stripe cannot be reached the booking stays `held` (the slot
is the client's for `Studio.hold_minutes`) and `payment` comes back with `payment_intent` and
`client_secret` null and `"status": "unavailable"`; the pay page (`pay_url`) creates the
intent when Stripe answers again, with the same idempotency key (the booking's UID), so a
request that reached Stripe before timing out is replayed, never doubled. An unpaid hold
expires and frees the slot as usual. No money can be taken without a stored booking: an intent
is only paid through its client secret, which Tonic hands out only for a committed booking.

Other modules: payments_sync (apply intents, release holds), payments_refunds (policy and
refunds), payments_transitions (confirm/release a booking), stripe_webhooks (the endpoint),
tasks_payments (Celery), payments_views (pay page, staff payments page).
"""

import logging

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from bookings.models import Booking, BookingEvent, Payment
from bookings.payments.refunds import payment_refund_request, refund_policy_amount
from bookings.payments.stripe_client import (
    StripeUnavailable,
    as_dict,
    call,
    intent_key,
    stripe_client,
)
from studio.kernel.outbox import outbox_add

log = logging.getLogger(__name__)


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


def _intent_create(booking: Booking, *, retries: int) -> Payment:
    """Create the booking's PaymentIntent (idempotent per booking). Raises StripeUnavailable.

    Call it outside any transaction (see the module's docstring)."""
    client = stripe_client(retries=retries)
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


def payment_method_for(amount_due: int) -> str:
    """How a new booking with this amount due is paid: by card (Stripe on), at the studio, free."""
    if amount_due <= 0:
        return Booking.PaymentMethod.FREE
    if stripe_enabled():
        return Booking.PaymentMethod.STRIPE
    return Booking.PaymentMethod.IN_STUDIO


def payment_start(booking: Booking) -> dict | None:
    """Start collecting the amount due of a committed booking; None when nothing is due.

    Runs after the booking's transaction: a Stripe outage or hang leaves the hold stored and
    answers `"status": "unavailable"` with the pay link (see the module's docstring)."""
    if booking.amount_due <= 0:
        return None
    method = payment_method_for(booking.amount_due)
    if booking.payment_method != method:  # a row written without booking_create (tests, admin)
        booking.payment_method = method
        booking.save(update_fields=["payment_method", "updated"])
    if method == Booking.PaymentMethod.IN_STUDIO:
        return {"method": "in_studio", "amount": booking.amount_due, "currency": booking.currency}
    payment = _open_payment(booking)
    if payment is None:
        try:
            payment = _intent_create(booking, retries=0)  # the client is waiting: no retry
        except StripeUnavailable as exc:
            log.warning("stripe unavailable creating intent for booking %s: %s", booking.pk, exc)
    return payment_json(booking, payment)


def payment_ensure(*, booking: Booking) -> Payment | None:
    """The open payment of a held card booking, creating its intent if an outage prevented it.

    Returns None if the booking needs none or Stripe is still unreachable. No lock is held
    while Stripe is asked: two pay pages opened at once send the same idempotency key and
    store the one intent Stripe returns (Payment.payment_intent is unique).
    """
    booking = Booking.objects.get(pk=booking.pk)
    payment = _open_payment(booking)
    if payment is not None or booking.status != Booking.Status.HELD or not stripe_enabled():
        return payment
    if booking.amount_due <= 0:
        return None
    try:
        return _intent_create(booking, retries=1)
    except StripeUnavailable:
        return None


def payment_on_cancel(booking: Booking, by: User | None = None) -> None:
    """Refund what the studio's policy gives back; cancel intents that were never paid.

    Stripe is called after commit through the outbox (studio/kernel/outbox.py), retried until it
    answers; each refund and cancel carries its idempotency key.
    """
    for payment in booking.payments.select_for_update():
        if payment.status in (Payment.Status.PENDING, Payment.Status.FAILED):
            outbox_add(
                kind="payment_intent_cancel",
                payload={"payment_id": payment.pk},
                key=f"tonic-cancel-{payment.payment_intent}",
                about=f"booking:{booking.pk}",
            )
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
