"""Periodic reminder jobs (scheduled in settings.CELERY_BEAT_SCHEDULE, run by beat).

Thin: each loads nothing itself and calls one service. The services are idempotent (every row
is claimed before it is sent), so a run that is redelivered after a lost worker (acks_late,
reject_on_worker_lost), or that overlaps the next one, sends nothing twice. A database outage
retries the task with backoff; a failed e-mail or SMS is retried by the row itself (see
bookings/reminders.py), not by the broker.
"""

from celery import shared_task
from django.db import DatabaseError

from .practice_nudges import practice_nudges_send
from .reminders import reminders_send_due
from .reminders_agenda import agendas_schedule

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(**RETRY)
def reminders_send_due_task() -> dict[str, int]:
    """Send every due reminder once; returns counts per outcome."""
    return reminders_send_due()


@shared_task(**RETRY)
def agendas_schedule_task() -> int:
    """Queue today's agenda e-mail for each specialist whose morning has come."""
    return agendas_schedule()


@shared_task(**RETRY)
def practice_nudges_send_task() -> dict[str, int]:
    """Nudge clients with an active program and no practice logged for PRACTICE_NUDGE_DAYS."""
    return practice_nudges_send()
