"""Follow Stripe's PaymentIntents: apply their state to our Payment and booking, release holds.

Every path that learns something about a PaymentIntent (webhook, pay page, hold release job)
re-reads it from Stripe and hands it to `payment_apply_intent`, which only moves a payment
forward (pending -> failed/succeeded/cancelled; a success is never undone by a late failure
or cancel event). So events may arrive in any order, or several times.
"""

import logging
from datetime import datetime

import stripe
from django.db import transaction
from django.utils import timezone

from bookings.classes import hooks as class_hooks
from bookings.models import Booking, Payment
from bookings.payments.refunds import payment_refund_request, payment_status_after_refunds
from bookings.payments.stripe_client import (
    StripeUnavailable,
    as_dict,
    call,
    event_claim,
    stripe_client,
)
from bookings.payments.transitions import (
    booking_confirm_paid,
    booking_hold_expire,
    booking_reconfirm_paid,
    released_by_expiry,
)

log = logging.getLogger(__name__)
OPEN = (Payment.Status.PENDING, Payment.Status.FAILED)


def intent_retrieve(payment_intent: str) -> dict | None:
    """The PaymentIntent as Stripe has it now; None if Stripe does not know it."""
    try:
        return as_dict(call(stripe_client().v1.payment_intents.retrieve, payment_intent))
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise


def _find_payment(intent: dict) -> Payment | None:
    payment = Payment.objects.filter(payment_intent=intent["id"]).first()
    if payment is not None:
        return payment
    # Created at Stripe but not stored here (the create answer was lost): adopt it by the
    # booking uid in its metadata, never by the id alone (SQLite may reuse a rolled-back id).
    meta = intent.get("metadata") or {}
    booking = Booking.objects.filter(uid=meta.get("booking_uid") or "-").first()
    if booking is None or str(booking.pk) != str(meta.get("booking")):
        return None
    payment, _ = Payment.objects.get_or_create(
        payment_intent=intent["id"],
        defaults={
            "booking": booking,
            "client_secret": intent.get("client_secret") or "",
            "amount": intent["amount"],
            "currency": intent["currency"].upper(),
        },
    )
    return payment


@transaction.atomic
def payment_apply_intent(
    *, intent: dict, event_id: str | None = None, event_type: str = ""
) -> Payment | None:
    """Apply a freshly read PaymentIntent to its Payment and booking, once per event id.

    Success confirms a held booking; for a released hold it re-confirms the slot if still free
    and otherwise refunds in full, as it does for a booking cancelled before the money came.
    """
    if not event_claim(event_id, event_type):
        return None
    found = _find_payment(intent)
    if found is None:
        log.info("stripe: intent %s is not one of ours", intent.get("id"))
        return None
    booking = Booking.objects.select_for_update().get(pk=found.booking_id)
    payment = Payment.objects.select_for_update().get(pk=found.pk)
    status = intent.get("status")
    if status == "succeeded":
        _succeeded(payment, booking, intent)
    elif status == "canceled":
        if payment.status in OPEN:
            payment.status = Payment.Status.CANCELLED
            payment.save(update_fields=["status", "updated"])
    elif status == "requires_payment_method" and intent.get("last_payment_error"):
        if payment.status == Payment.Status.PENDING:
            payment.status = Payment.Status.FAILED
            payment.save(update_fields=["status", "updated"])
    elif payment.status == Payment.Status.FAILED:  # a new attempt is under way
        payment.status = Payment.Status.PENDING
        payment.save(update_fields=["status", "updated"])
    return payment


def _succeeded(payment: Payment, booking: Booking, intent: dict) -> None:
    if payment.paid_at is not None:
        return  # already applied: effects happen once
    payment.paid_at = timezone.now()
    payment.amount = intent.get("amount_received") or intent["amount"]
    payment.status = Payment.Status.SUCCEEDED
    payment.status = payment_status_after_refunds(payment)
    payment.save(update_fields=["paid_at", "amount", "status", "updated"])
    remaining = payment.amount - payment.amount_refunded
    if remaining <= 0:
        return  # refunded before we heard of the success: nothing to confirm
    if booking.status == Booking.Status.HELD:
        booking_confirm_paid(booking=booking, payment=payment)
    elif booking.status == Booking.Status.CANCELLED:
        if released_by_expiry(booking) and booking_reconfirm_paid(booking=booking, payment=payment):
            return
        why = (
            "Paid after the hold expired; the time was no longer free"
            if released_by_expiry(booking)
            else "Paid after the booking was cancelled"
        )
        payment_refund_request(
            payment=payment,
            amount=remaining,
            key=f"tonic-refund-{payment.payment_intent}-auto",
            reason=why,
        )


def payment_sync(*, payment: Payment) -> Payment | None:
    """Re-read a payment's intent from Stripe and apply it. Raises StripeUnavailable."""
    intent = intent_retrieve(payment.payment_intent)
    if intent is None:
        return None
    return payment_apply_intent(intent=intent)


def payment_intent_cancel(*, payment_id: int) -> str:
    """Cancel an open PaymentIntent at Stripe and apply the result; returns Stripe's status.

    Stripe refuses to cancel an intent that was paid meanwhile: we then apply the success.
    Raises StripeUnavailable.
    """
    payment = Payment.objects.get(pk=payment_id)
    if payment.status not in OPEN:
        return payment.status
    client = stripe_client()
    try:
        intent = as_dict(
            call(
                client.v1.payment_intents.cancel,
                payment.payment_intent,
                options={"idempotency_key": f"tonic-cancel-{payment.payment_intent}"},
            )
        )
    except stripe.InvalidRequestError:  # already paid, or already cancelled
        current = intent_retrieve(payment.payment_intent)
        # Stripe never had it (e.g. a test server reset): nothing can be paid.
        intent = current or {"id": payment.payment_intent, "status": "canceled"}
    payment_apply_intent(intent=intent)
    return intent["status"]


def payment_hold_release(*, booking_id: int, now: datetime) -> bool:
    """Release one expired hold: cancel its intents at Stripe first, then the booking.

    If Stripe cannot be reached the slot is released anyway and the intent stays open; a late
    success is then re-confirmed if the slot is free or refunded (see payment_apply_intent).
    An intent that is processing keeps the hold until Stripe decides.
    """
    for payment_id in Payment.objects.filter(booking_id=booking_id, status__in=OPEN).values_list(
        "pk", flat=True
    ):
        try:
            status = payment_intent_cancel(payment_id=payment_id)
        except StripeUnavailable:
            log.warning("stripe unreachable releasing booking %s; releasing anyway", booking_id)
            continue
        if status in ("processing", "requires_capture"):
            return False
    with transaction.atomic():
        # A class place: its class's lock first, then the place, the order a staff cancel of
        # the class takes them (class, then each place); the other order could deadlock.
        class_hooks.place_lock(Booking.objects.only("occurrence_id").get(pk=booking_id))
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        paid = booking.payments.filter(paid_at__isnull=False).first()
        if paid is not None and paid.amount_refunded < paid.amount:
            return False  # paid meanwhile: confirmed, not released
        return booking_hold_expire(booking=booking, now=now)


def payment_holds_release(*, now: datetime | None = None) -> dict:
    """Release every expired hold and cancel intents left open on cancelled bookings."""
    now = now or timezone.now()
    released = 0
    expired = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=now)
    for booking_id in expired.values_list("pk", flat=True):
        released += payment_hold_release(booking_id=booking_id, now=now)
    swept = 0
    leftovers = Payment.objects.filter(status__in=OPEN, booking__status=Booking.Status.CANCELLED)
    for payment_id in leftovers.values_list("pk", flat=True)[:100]:
        try:
            payment_intent_cancel(payment_id=payment_id)
            swept += 1
        except StripeUnavailable:
            break
    return {"released": released, "intents_cancelled": swept}
