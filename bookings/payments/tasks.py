"""Celery tasks for payments: thin wrappers that call a service.

Refunds and intent cancels owed by a change go through the outbox (studio/kernel/outbox.py), which
retries them until Stripe answers; this module keeps the periodic hold release.
"""

from celery import shared_task

from bookings.payments.sync import payment_holds_release


@shared_task(name="bookings.tasks_payments.payment_holds_release_task", acks_late=True)
def payment_holds_release_task():
    """Periodic: release expired holds (frees their slots) and cancel leftover intents."""
    return payment_holds_release()
