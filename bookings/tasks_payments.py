"""Celery tasks for payments: thin wrappers that load by id and call a service.

Work that moves money is acknowledged late and retried with backoff while Stripe is
unreachable; each call carries the same idempotency key on every attempt.
"""

import logging

from celery import shared_task

from studio.errors import Conflict

from .payments_refunds import payment_refund_execute
from .payments_sync import payment_holds_release, payment_intent_cancel
from .stripe_client import StripeUnavailable

log = logging.getLogger(__name__)
RETRY = {
    "acks_late": True,
    "autoretry_for": (StripeUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "max_retries": 12,
}


@shared_task(**RETRY)
def payment_refund_task(payment_id: int, amount: int, key: str, reason: str = "", by_id=None):
    """Refund at Stripe (once per key); a refusal by Stripe is logged, not retried."""
    try:
        payment_refund_execute(
            payment_id=payment_id, amount=amount, key=key, reason=reason, by_id=by_id
        )
    except Conflict as exc:
        log.error("refund %s refused: %s", key, exc.detail)


@shared_task(**RETRY)
def payment_intent_cancel_task(payment_id: int):
    """Cancel an unpaid PaymentIntent at Stripe (a paid one is applied instead)."""
    payment_intent_cancel(payment_id=payment_id)


@shared_task(acks_late=True)
def payment_holds_release_task():
    """Periodic: release expired holds (frees their slots) and cancel leftover intents."""
    return payment_holds_release()
