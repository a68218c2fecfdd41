"""The outbox's Celery tasks (studio/kernel/outbox.py): thin, each calling one function.

Tasks are leaves (docs/LAYOUT.md): each imports its service in its body (`noqa: PLC0415 -- leaf`),
and services queue them by name (studio/kernel/jobs.py), never by importing this module."""

from celery import shared_task


@shared_task(name="studio.tasks.outbox_deliver_task", acks_late=True)
def outbox_deliver_task(message_id: int) -> bool:
    """Deliver one outbox row after its change committed (a no-op if already delivered)."""
    from studio.kernel.outbox import outbox_deliver  # noqa: PLC0415 -- leaf

    return outbox_deliver(message_id)


@shared_task(name="studio.tasks.outbox_sweep_task", acks_late=True)
def outbox_sweep_task() -> dict:
    """Periodic (beat): deliver every outbox row still owed; see studio/kernel/outbox.py."""
    from studio.kernel.outbox import outbox_sweep  # noqa: PLC0415 -- leaf

    return outbox_sweep()
