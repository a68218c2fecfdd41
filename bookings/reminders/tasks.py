"""Periodic reminder jobs (scheduled in settings.CELERY_BEAT_SCHEDULE, run by beat).

Thin: each loads nothing itself and calls one service. The services are idempotent (every row
is claimed before it is sent), so a run that is redelivered after a lost worker (acks_late,
reject_on_worker_lost), or that overlaps the next one, sends nothing twice. A database outage
retries the task with backoff; a failed e-mail or SMS is retried by the row itself (see
bookings/reminders/services.py), not by the broker.
"""

from datetime import datetime

from celery import shared_task
from django.db import DatabaseError

from bookings.reminders.agenda import agendas_schedule
from bookings.reminders.nudges import practice_nudges_send
from bookings.reminders.services import reminders_send_due

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(name="bookings.tasks_reminders.reminders_send_due_task", **RETRY)
def reminders_send_due_task(now: str | None = None) -> dict[str, int]:
    """Send every due reminder once; returns counts per outcome. Beat passes no arguments;
    `now` (ISO 8601 with an offset) runs the job as of that instant, so tests of real workers
    inject their frozen time instead of waiting for the wall clock."""
    return reminders_send_due(now=_instant(now) if now else None)


def _instant(text: str) -> datetime:
    """An aware datetime from ISO 8601 text (a naive one would be read in no zone at all)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment


@shared_task(name="bookings.tasks_reminders.agendas_schedule_task", **RETRY)
def agendas_schedule_task() -> int:
    """Queue today's agenda e-mail for each specialist whose morning has come."""
    return agendas_schedule()


@shared_task(name="bookings.tasks_reminders.practice_nudges_send_task", **RETRY)
def practice_nudges_send_task() -> dict[str, int]:
    """Nudge clients with an active program and no practice logged for PRACTICE_NUDGE_DAYS."""
    return practice_nudges_send()
