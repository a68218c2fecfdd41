"""A specialist's external calendars: who may see them, connect, sync now and disconnect.

The remote work is queued (tasks_calendars.py); these services only change rows.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import SpecialistProfile, User
from bookings import availability_cache
from bookings.calendars.credentials import encrypt_secret
from bookings.models import BusyTime, CalendarConnection
from studio.kernel.errors import Invalid, NotFound
from studio.kernel.jobs import enqueue

MAX_CONNECTIONS = 10


def specialist_for(user: User) -> SpecialistProfile | None:
    return SpecialistProfile.objects.filter(user=user).first() if user.is_authenticated else None


def calendar_connection_list(*, user: User) -> QuerySet[CalendarConnection]:
    """Connections a staff member may see: a specialist their own, the owner everyone's."""
    qs = CalendarConnection.objects.select_related("specialist__user").order_by(
        "specialist__user__first_name", "created", "pk"
    )
    if user.is_owner:
        return qs
    if user.is_authenticated and user.role == User.Role.SPECIALIST:
        return qs.filter(specialist__user=user)
    return qs.none()


def calendar_connection_get(*, user: User, pk: int) -> CalendarConnection:
    """One connection the user may manage. Raises NotFound otherwise (also for others')."""
    connection = calendar_connection_list(user=user).filter(pk=pk, is_active=True).first()
    if connection is None:
        raise NotFound("No such calendar connection.")
    return connection


def _queue_sync(connection_id: int) -> None:
    enqueue("bookings.tasks_calendars.calendar_connection_sync_task", connection_id)


@transaction.atomic
def calendar_connection_create(
    *,
    specialist: SpecialistProfile,
    kind: str,
    url: str,
    name: str = "",
    username: str = "",
    password: str = "",
    push_bookings: bool = True,
) -> CalendarConnection:
    """Connect a calendar (password encrypted at rest) and queue its first sync.
    Raises Invalid past MAX_CONNECTIONS per specialist."""
    if CalendarConnection.objects.filter(specialist=specialist).count() >= MAX_CONNECTIONS:
        raise Invalid(f"At most {MAX_CONNECTIONS} calendars can be connected.")
    connection = CalendarConnection.objects.create(
        specialist=specialist,
        kind=kind,
        url=url,
        name=name,
        username=username,
        password_encrypted=encrypt_secret(password),
        push_bookings=push_bookings and kind == CalendarConnection.Kind.CALDAV,
        sync_requested_at=timezone.now(),
    )
    transaction.on_commit(lambda: _queue_sync(connection.pk), robust=True)
    return connection


@transaction.atomic
def calendar_connection_request_sync(*, connection: CalendarConnection) -> None:
    """Queue a sync now, whatever the backoff ("sync now" on the settings page)."""
    CalendarConnection.objects.filter(pk=connection.pk).update(sync_requested_at=timezone.now())
    transaction.on_commit(lambda: _queue_sync(connection.pk), robust=True)


@transaction.atomic
def calendar_connection_remove(*, connection: CalendarConnection) -> None:
    """Disconnect: its busy times stop blocking slots at once; Tonic's events are taken out of
    the calendar by a job, which then deletes the connection."""
    CalendarConnection.objects.filter(pk=connection.pk).update(is_active=False)
    BusyTime.objects.filter(connection=connection).delete()
    availability_cache.generation_bump_on_commit()  # busy times have no delete listener
    transaction.on_commit(
        lambda: enqueue("bookings.tasks_calendars.calendar_connection_delete_task", connection.pk),
        robust=True,
    )


def connection_state(connection: CalendarConnection) -> str:
    """ "syncing", "ok", "failing" or "new", for the settings page."""
    requested, ok, failed = (
        connection.sync_requested_at,
        connection.last_success_at,
        connection.last_error_at,
    )
    finished = max((t for t in (ok, failed) if t), default=None)
    if requested and (finished is None or requested > finished):
        return "syncing"
    if failed and (ok is None or failed > ok):
        return "failing"
    return "ok" if ok else "new"
