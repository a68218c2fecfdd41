"""Refunds: the studio's policy, asking Stripe, and recording what Stripe says was refunded.

A refund is decided inside the booking's transaction (`payment_refund_request`, which writes an
outbox row with it) and sent to Stripe after commit (`payment_refund_execute`, the row's
handler), retried with backoff until Stripe answers; one that never succeeds stays in the outbox
as `failed` for the owner to see and retry (studio/kernel/outbox.py), never dropped. Each refund
carries a Tonic key, sent as Stripe's idempotency key and stored in the refund's metadata;
before creating one we look for a refund with that key at Stripe, so a retried delivery never
refunds twice (also past Stripe's 24-hour idempotency window, and on servers that ignore
idempotency keys).
"""

import logging

import stripe
from django.db import transaction
from django.db.models import Sum

from accounts.models import Studio, User
from bookings.models import Booking, BookingEvent, Payment, Refund
from bookings.payments.stripe_client import (
    StripeUnavailable,
    as_dict,
    call,
    event_claim,
    stripe_client,
)
from studio.kernel.errors import Conflict, Invalid, NotFound
from studio.kernel.outbox import outbox_add

log = logging.getLogger(__name__)
COUNTED = ("succeeded", "pending", "requires_action")


def refund_policy_amount(*, booking: Booking, payment: Payment, by: User | None) -> int:
    """What a cancellation gives back of this payment under the studio's policy.

    Outside the window, or when the studio cancels, everything paid is refunded. Inside the
    window (`booking.late_cancellation`) `Studio.late_cancel_refund` decides: full, keep the
    service's deposit, or nothing.
    """
    remaining = payment.amount - payment.amount_refunded
    if remaining <= 0 or payment.paid_at is None:
        return 0
    if not booking.late_cancellation or (by is not None and by.is_studio_staff):
        return remaining
    policy = Studio.get().late_cancel_refund
    if policy == Studio.RefundPolicy.FULL:
        return remaining
    if policy == Studio.RefundPolicy.NONE:
        return 0
    kept = min(payment.amount, booking.service.deposit or 0)
    return max(0, min(remaining, payment.amount - kept))


def payment_refund_request(
    *, payment: Payment, amount: int, key: str, reason: str, by: User | None = None
) -> None:
    """Inside the caller's transaction: note the refund and owe it (outbox) to Stripe."""
    BookingEvent.objects.create(
        booking_id=payment.booking_id,
        kind="refund_requested",
        by=by,
        data={"payment_intent": payment.payment_intent, "amount": amount, "reason": reason},
    )
    _refund_later(payment=payment, amount=amount, key=key, reason=reason, by=by)


def _refund_later(*, payment: Payment, amount: int, key: str, reason: str, by: User | None):
    outbox_add(
        kind="payment_refund",
        payload={
            "payment_id": payment.pk,
            "amount": amount,
            "key": key,
            "reason": reason,
            "by_id": by.pk if by else None,
        },
        key=key,  # one outbox row per refund key: asked twice, refunded once
        about=f"booking:{payment.booking_id}",
    )


def _stripe_refunds(client, payment_intent: str) -> list[dict]:
    found = call(client.v1.refunds.list, params={"payment_intent": payment_intent, "limit": 100})
    return [as_dict(r) for r in found.data]


def payment_refund_execute(
    *, payment_id: int, amount: int, key: str, reason: str = "", by_id: int | None = None
) -> Refund | None:
    """Refund `amount` of a payment at Stripe once per key.

    Raises StripeUnavailable (retry later) and Conflict (Stripe refused: do not retry).
    """
    payment = Payment.objects.get(pk=payment_id)
    client = stripe_client()
    refunds = _stripe_refunds(client, payment.payment_intent)
    mine = [r for r in refunds if (r.get("metadata") or {}).get("tonic_key") == key]
    if not mine:
        already = sum(r["amount"] for r in refunds if r.get("status") in COUNTED)
        amount = min(amount, payment.amount - already)
        if amount <= 0:
            log.info("refund %s skipped: nothing left on %s", key, payment.payment_intent)
            payment_refunds_record(payment_id=payment.pk, refunds=refunds)
            return None
        # No free text to Stripe: a staff reason may mention a client's health.
        metadata = {"tonic_key": key, "booking": str(payment.booking_id)}
        try:
            created = call(
                client.v1.refunds.create,
                params={
                    "payment_intent": payment.payment_intent,
                    "amount": amount,
                    "metadata": metadata,
                },
                options={"idempotency_key": key},
            )
        except stripe.InvalidRequestError as exc:
            raise Conflict(f"Stripe refused the refund: {exc.user_message or exc}") from exc
        mine = [as_dict(created)]
        refunds = [*refunds, *mine]
    recorded = payment_refunds_record(
        payment_id=payment.pk, refunds=refunds, reasons={mine[0]["id"]: (reason, by_id)}
    )
    return recorded.get(mine[0]["id"])


@transaction.atomic
def payment_refunds_record(
    *, payment_id: int, refunds: list[dict], reasons: dict | None = None
) -> dict[str, Refund]:
    """Store Stripe's refunds of a payment once each and recompute what was refunded."""
    booking_id = Payment.objects.values_list("booking_id", flat=True).get(pk=payment_id)
    Booking.objects.select_for_update().filter(pk=booking_id).first()  # lock order: booking first
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    reasons = reasons or {}
    rows: dict[str, Refund] = {}
    for data in refunds:
        if data.get("status") not in COUNTED:
            continue
        reason, by_id = reasons.get(data["id"], ("", None))
        row, created = Refund.objects.get_or_create(
            stripe_refund=data["id"],
            defaults={
                "payment": payment,
                "amount": data["amount"],
                "reason": reason,
                "by_id": by_id,
            },
        )
        if not created and (reason or by_id) and not (row.reason or row.by_id):
            row.reason, row.by_id = reason, by_id  # a webhook recorded it first
            row.save(update_fields=["reason", "by"])
        rows[data["id"]] = row
    total = payment.refunds.aggregate(total=Sum("amount"))["total"] or 0
    if total != payment.amount_refunded:
        payment.amount_refunded = min(total, payment.amount)
        payment.status = payment_status_after_refunds(payment)
        payment.save(update_fields=["amount_refunded", "status", "updated"])
    return rows


def payment_status_after_refunds(payment: Payment) -> str:
    """The status a payment shows given its refunds (unchanged when nothing was refunded)."""
    if payment.amount_refunded <= 0:
        return payment.status
    if payment.amount_refunded >= payment.amount:
        return Payment.Status.REFUNDED
    return Payment.Status.PARTIALLY_REFUNDED


def payment_refunds_sync(
    *, payment_intent: str, event_id: str | None = None, event_type=""
) -> None:
    """Bring our refunds of a payment in line with Stripe's, once per event id.

    Stripe is read before the transaction; the event id is stored with the effect.
    """
    payment = Payment.objects.filter(payment_intent=payment_intent).first()
    refunds = _stripe_refunds(stripe_client(), payment_intent) if payment else []
    with transaction.atomic():
        if event_claim(event_id, event_type) and payment is not None:
            payment_refunds_record(payment_id=payment.pk, refunds=refunds)


def payment_refund_staff(*, payment: Payment, by: User, amount: int | None, reason: str) -> dict:
    """A staff refund of (part of) a paid payment, now; owed (outbox) if Stripe is down.

    Raises NotFound (not the owner or the booking's specialist), Conflict (not paid or fully
    refunded) and Invalid (amount out of range).
    """
    booking = payment.booking
    if not (by.is_owner or (by.is_studio_staff and booking.specialist.user_id == by.pk)):
        raise NotFound("No such payment.")
    if payment.paid_at is None:
        raise Conflict("This payment has not been made, so there is nothing to refund.")
    remaining = payment.amount - payment.amount_refunded
    if remaining <= 0:
        raise Conflict("This payment is already fully refunded.")
    amount = remaining if amount is None else amount
    if not 0 < amount <= remaining:
        raise Invalid(f"Refund between 1 and {remaining} (minor units).", field="amount")
    reason = (reason or "Refunded by the studio").strip()[:200]
    # Same click twice (same state, same amount) = same key = one refund.
    key = f"tonic-refund-{payment.payment_intent}-staff-{payment.amount_refunded}-{amount}"
    BookingEvent.objects.create(
        booking=booking,
        kind="refund_requested",
        by=by,
        data={"payment_intent": payment.payment_intent, "amount": amount, "reason": reason},
    )
    try:
        refund = payment_refund_execute(
            payment_id=payment.pk, amount=amount, key=key, reason=reason, by_id=by.pk
        )
    except StripeUnavailable:
        _refund_later(payment=payment, amount=amount, key=key, reason=reason, by=by)
        return {"status": "queued", "amount": amount}
    return {"status": "refunded", "amount": refund.amount if refund else 0, "refund": refund}
