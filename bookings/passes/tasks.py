"""Celery tasks of passes: thin leaves that call a service."""

from celery import shared_task


@shared_task(name="bookings.passes.tasks.credits_expire_task", acks_late=True)
def credits_expire_task() -> int:
    """Periodic: write off credits past their expiry (one expiry row per bucket, so reruns and
    two workers at once are harmless)."""
    from .ledger import credits_expire  # noqa: PLC0415 -- leaf

    return credits_expire()
