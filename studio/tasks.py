"""The outbox's Celery tasks (studio/kernel/outbox.py): thin, each calling one function.

Tasks are leaves (docs/LAYOUT.md): each imports its service in its body (`noqa: PLC0415 -- leaf`),
and services queue them by name (studio/kernel/jobs.py), never by importing this module."""

from celery import shared_task


@shared_task(name="studio.tasks.outbox_deliver_task", acks_late=True)
def outbox_deliver_task(message_id: int, *more: int) -> int:
    """Deliver outbox rows after their change committed, in order (a no-op for a row already
    delivered); one job for the rows one change wrote. Returns how many were delivered now."""
    from studio.kernel.outbox import outbox_deliver  # noqa: PLC0415 -- leaf

    return sum(outbox_deliver(pk) for pk in (message_id, *more))


@shared_task(name="studio.tasks.outbox_sweep_task", acks_late=True)
def outbox_sweep_task() -> dict:
    """Periodic (beat): deliver every outbox row still owed; see studio/kernel/outbox.py."""
    from studio.kernel.outbox import outbox_sweep  # noqa: PLC0415 -- leaf

    return outbox_sweep()
