"""Calendar jobs: thin Celery tasks around caldav_sync (listed in settings.CELERY_IMPORTS;
the periodic one is in settings.CELERY_BEAT_SCHEDULE)."""

import random

from celery import shared_task
from django.utils import timezone

from bookings.calendars import caldav as caldav_sync
from bookings.models import CalendarConnection

PUSH_MAX_RETRIES = 6


def retry_countdown(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 1, 2, 4 ... minutes up to an hour, jittered."""
    return min(60 * 2**retries, 3600) + random.randint(0, 30)


@shared_task(
    name="bookings.tasks_calendars.booking_push_calendars_task",
    bind=True,
    max_retries=PUSH_MAX_RETRIES,
    acks_late=True,
)
def booking_push_calendars_task(self, booking_id: int) -> None:
    """Push a booking to its specialist's CalDAV calendars; retried with backoff while one fails
    (and the periodic sync catches up after the last retry)."""
    failed = caldav_sync.booking_push_calendars(booking_id=booking_id)
    if failed and not self.request.is_eager and self.request.retries < PUSH_MAX_RETRIES:
        raise self.retry(countdown=retry_countdown(self.request.retries))


@shared_task(name="bookings.tasks_calendars.calendar_connection_sync_task", acks_late=True)
def calendar_connection_sync_task(connection_id: int) -> None:
    """Import one connection's busy times and reconcile its pushed bookings."""
    caldav_sync.calendar_connection_sync(connection_id=connection_id)


@shared_task(name="bookings.tasks_calendars.calendar_connection_delete_task", acks_late=True)
def calendar_connection_delete_task(connection_id: int) -> None:
    """Take Tonic's events out of a disconnected calendar and delete the connection."""
    caldav_sync.calendar_connection_delete(connection_id=connection_id)


@shared_task(name="bookings.tasks_calendars.calendar_connections_sync_due_task")
def calendar_connections_sync_due_task() -> int:
    """Periodic: queue a sync of every connection that is due (failing ones back off), and
    finish disconnections a lost job left behind. Returns how many syncs were queued."""
    due = caldav_sync.calendar_connections_due(now=timezone.now())
    for pk in due:
        calendar_connection_sync_task.delay(pk)
    for pk in CalendarConnection.objects.filter(is_active=False).values_list("pk", flat=True):
        calendar_connection_delete_task.delay(pk)
    return len(due)
