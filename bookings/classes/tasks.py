"""Periodic class jobs (settings.CELERY_BEAT_SCHEDULE). Thin: each calls one service, which
claims its rows (conditional UPDATE or a locked re-check), so a rerun does nothing twice."""

from datetime import datetime

from celery import shared_task
from django.db import DatabaseError

# As the reminder jobs: a database outage retries with backoff; a lost worker's run is redone
# (acks late), which the claims make harmless.
RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
    "acks_late": True,
}


def _instant(text: str | None) -> datetime | None:
    """An aware datetime from ISO 8601 text, for tests that run the job at a frozen time."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no UTC offset")
    return moment


@shared_task(name="bookings.classes.offers_lapse_due", **RETRY)
def offers_lapse_due_task(now: str | None = None) -> int:
    """Lapse expired waitlist offers and offer each place to the next person, exactly once."""
    from .waitlist import offers_lapse_due  # noqa: PLC0415 -- leaf

    return offers_lapse_due(now=_instant(now))


@shared_task(name="bookings.classes.mark_attendance", **RETRY)
def classes_mark_attendance_task(now: str | None = None) -> int:
    """Mark the places of classes that ended: completed if ticked, no-show if not."""
    from .checkin import classes_mark_attendance  # noqa: PLC0415 -- leaf

    return classes_mark_attendance(now=_instant(now))
