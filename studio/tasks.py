"""The outbox's Celery tasks (studio/kernel/outbox.py): thin, each calling one function."""

from celery import shared_task


@shared_task(name="studio.tasks.outbox_deliver_task", acks_late=True)
def outbox_deliver_task(message_id: int) -> bool:
    """Deliver one outbox row after its change committed (a no-op if already delivered)."""
    from studio.kernel.outbox import (
        outbox_deliver,  # tasks are leaves: the service is imported in the body
    )

    return outbox_deliver(message_id)


@shared_task(name="studio.tasks.outbox_sweep_task", acks_late=True)
def outbox_sweep_task() -> dict:
    """Periodic (beat): deliver every outbox row still owed; see studio/kernel/outbox.py."""
    from studio.kernel.outbox import (
        outbox_sweep,  # tasks are leaves: the service is imported in the body
    )

    return outbox_sweep()
