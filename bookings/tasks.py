"""Celery tasks of the bookings app: thin, loading by id and calling one function.

Each area keeps its tasks in its own clearly named section below.
"""

from smtplib import SMTPException

from celery import shared_task

# --- booking engine (bookings/services.py, bookings/notifications.py) -------------------------


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,  # 1 s, 2 s, 4 s ... with jitter
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=8,
    acks_late=True,
)
def booking_notify_task(booking_id: int, kind: str, audience: str) -> bool:
    """E-mail one booking change to the client or the specialist; retried on mail errors."""
    from .notifications import booking_notify

    return booking_notify(booking_id=booking_id, kind=kind, audience=audience)
