"""Sync with a specialist's own calendars: push bookings to CalDAV, import busy times from CalDAV
and public ICS URLs.

Remote calls are made outside database transactions (a slow server must never hold a lock), and
a failure is recorded on the connection (last_error, failures) rather than raised: a calendar
that is down never blocks or fails a booking; the periodic job retries it with backoff.
"""

import logging
from datetime import datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

import icalendar
from caldav.calendarobjectresource import Event
from caldav.collection import Calendar
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error as caldav_error
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Studio
from bookings import availability_cache
from bookings.calendars.busy_import import (
    BusyInterval,
    FetchError,
    StoreResult,
    busy_intervals,
    busy_times_replace,
    calendar_uids,
    fetch_ics,
    parse_calendars,
    tonic_booking_uids,
)
from bookings.calendars.credentials import SecretUnreadable, decrypt_secret
from bookings.calendars.events import caldav_ics, event_status
from bookings.calendars.outbound import check_url, guard_session
from bookings.models import Booking, BusyTime, CalendarConnection, CalendarPush

log = logging.getLogger(__name__)

TIMEOUT = 15  # seconds per request to a calendar server
IMPORT_PAST = timedelta(days=1)
IMPORT_EXTRA = timedelta(days=7)  # beyond the booking horizon
PUSH_PAST = timedelta(days=1)
CALDAV_CALENDAR = "{urn:ietf:params:xml:ns:caldav}calendar"


def describe_error(exc: BaseException) -> str:
    """A short message for the settings page (never a password; URLs are the specialist's own)."""
    if isinstance(exc, FetchError | SecretUnreadable):
        return str(exc)
    if isinstance(exc, caldav_error.AuthorizationError):
        return "The calendar server refused the username or password."
    if isinstance(exc, caldav_error.NotFoundError):
        return "The calendar was not found at that address."
    if isinstance(exc, caldav_error.DAVError):
        return f"The calendar server answered with an error: {exc}"[:500]
    name = type(exc).__name__
    if "Connect" in name or "Timeout" in name or isinstance(exc, OSError):
        return f"Could not reach the calendar server ({name})."
    return f"Sync failed: {name}: {exc}"[:500]


def _record_success(connection: CalendarConnection, now: datetime) -> None:
    CalendarConnection.objects.filter(pk=connection.pk).update(last_success_at=now, failures=0)


def _record_failure(connection: CalendarConnection, exc: BaseException, now: datetime) -> None:
    log.warning("calendar connection %s failed: %s", connection.pk, type(exc).__name__)
    CalendarConnection.objects.filter(pk=connection.pk).update(
        last_error=describe_error(exc), last_error_at=now, failures=F("failures") + 1
    )


class Remote:
    """A connection's CalDAV calendar, opened on first use and reused for a batch. Its address
    is checked (outbound.check_url) before the client is made, and every request the client
    sends (redirects, events on other hosts) is checked too."""

    def __init__(self, connection: CalendarConnection):
        self.connection = connection
        self._calendar: Calendar | None = None

    @property
    def calendar(self) -> Calendar:
        if self._calendar is None:
            conn = self.connection
            check_url(conn.url)
            client = DAVClient(
                url=conn.url,
                username=conn.username or None,
                password=decrypt_secret(conn.password_encrypted) or None,
                timeout=TIMEOUT,
                enable_rfc6764=False,
            )
            guard_session(client.session)
            self._calendar = self._find_calendar(client, conn.url)
        return self._calendar

    @staticmethod
    def _find_calendar(client: DAVClient, url: str) -> Calendar:
        """The calendar at `url`; given a server or account address instead, the account's first
        calendar that holds events."""
        calendar = client.calendar(url=url)
        kinds = calendar.get_property(dav.ResourceType(), use_cached=False) or []
        if CALDAV_CALENDAR in kinds:
            return calendar
        for candidate in client.principal().calendars():
            if "VEVENT" in (candidate.get_supported_components() or ["VEVENT"]):
                return candidate
        raise caldav_error.NotFoundError("No calendar found at that address.")

    def put(self, booking: Booking, studio: Studio, href: str | None) -> str:
        """Create or replace the booking's event; returns its address on the server."""
        ics = caldav_ics(booking, studio)
        if href:
            event = Event(self.calendar.client, url=href, data=ics, parent=self.calendar)
            event.save(increase_seqno=False)
            return str(event.url)
        # A sync client returns the object itself (the Coroutine in the type is the async one's).
        created = cast(Event, self.calendar.add_event(ics, increase_seqno=False))
        return str(created.url)

    def delete(self, href: str) -> None:
        """Remove an event; one that is already gone counts as removed."""
        Event(self.calendar.client, url=href, parent=self.calendar).delete()

    def calendars_between(self, start: datetime, end: datetime) -> list[icalendar.Calendar]:
        found = cast(list[Event], self.calendar.search(start=start, end=end, event=True))
        return [cal for obj in found for cal in parse_calendars(obj.data.encode())]


def _wants_event(connection: CalendarConnection, booking: Booking, now: datetime) -> bool:
    """Whether the booking belongs in this calendar: it is the specialist's, not cancelled,
    and pushing is on."""
    if not (
        connection.is_active
        and connection.push_bookings
        and connection.kind == CalendarConnection.Kind.CALDAV
        and connection.specialist_id == booking.specialist_id
    ):
        return False
    if booking.status == Booking.Status.CANCELLED:
        return False
    expired = booking.hold_expires_at is not None and booking.hold_expires_at < now
    return not (booking.status == Booking.Status.HELD and expired)


def _sync_one(
    remote: Remote, booking: Booking, push: CalendarPush | None, studio: Studio, now: datetime
) -> None:
    """Bring one booking's copy in one calendar up to date (create, replace or delete)."""
    connection = remote.connection
    if _wants_event(connection, booking, now):
        status = event_status(booking)
        if push and push.sequence == booking.sequence and push.status == status:
            return
        href = remote.put(booking, studio, push.href if push else None)
        CalendarPush.objects.update_or_create(
            connection=connection,
            booking=booking,
            defaults={
                "href": href,
                "sequence": booking.sequence,
                "status": status,
                "pushed_at": now,
            },
        )
    elif push is not None:
        remote.delete(push.href)
        CalendarPush.objects.filter(pk=push.pk).delete()


def _load_booking(booking_id: int) -> Booking | None:
    return (
        Booking.objects.select_related("service", "specialist__user", "client__user")
        .filter(pk=booking_id)
        .first()
    )


def booking_push_calendars(*, booking_id: int) -> list[int]:
    """Push one booking to every CalDAV calendar it belongs in (and remove it from those it no
    longer does). Returns the ids of connections that failed; raises nothing."""
    now = timezone.now()
    studio = Studio.get()
    failed: list[int] = []
    for _ in range(3):  # re-check: the booking may change while we talk to the server
        booking = _load_booking(booking_id)
        if booking is None:
            return failed
        connections = CalendarConnection.objects.filter(
            Q(
                specialist_id=booking.specialist_id,
                kind=CalendarConnection.Kind.CALDAV,
                is_active=True,
                push_bookings=True,
            )
            | Q(pushes__booking=booking)
        ).distinct()
        pushes = {p.connection_id: p for p in CalendarPush.objects.filter(booking=booking)}
        failed = []
        for connection in connections:
            try:
                _sync_one(Remote(connection), booking, pushes.get(connection.pk), studio, now)
            except Exception as exc:  # any server failure: record it, never raise into a booking
                _record_failure(connection, exc, now)
                failed.append(connection.pk)
            else:
                _record_success(connection, now)
        fresh = Booking.objects.filter(pk=booking_id).values("sequence", "status", "specialist_id")
        state = fresh.first()
        if state == {
            "sequence": booking.sequence,
            "status": booking.status,
            "specialist_id": booking.specialist_id,
        }:
            break
    return failed


def _push_all(remote: Remote, studio: Studio, now: datetime) -> None:
    """Reconcile every booking of the connection's specialist (and every copy it holds)."""
    connection = remote.connection
    pushes = {p.booking_id: p for p in CalendarPush.objects.filter(connection=connection)}
    bookings = Booking.objects.select_related("service", "specialist__user", "client__user").filter(
        Q(specialist_id=connection.specialist_id, end__gte=now - PUSH_PAST) | Q(pk__in=list(pushes))
    )
    for booking in bookings:
        _sync_one(remote, booking, pushes.get(booking.pk), studio, now)


def _import_busy(
    remote: Remote | None, connection: CalendarConnection, now: datetime
) -> StoreResult:
    studio = Studio.get()
    start = now - IMPORT_PAST
    end = now + timedelta(days=studio.booking_horizon_days) + IMPORT_EXTRA
    if remote is not None:
        calendars = remote.calendars_between(start, end)
    else:
        password = decrypt_secret(connection.password_encrypted)
        data = fetch_ics(
            connection.url, username=connection.username, password=password, timeout=TIMEOUT
        )
        calendars = parse_calendars(data)
    tz = ZoneInfo(connection.specialist.timezone)
    skip = tonic_booking_uids(calendar_uids(calendars))
    intervals: set[BusyInterval] = busy_intervals(
        calendars, start=start, end=end, tz=tz, skip_uids=skip
    )
    return busy_times_replace(connection=connection, intervals=intervals)


def calendar_connection_sync(*, connection_id: int) -> StoreResult | None:
    """Import a connection's busy times and, for CalDAV with pushing on, reconcile the bookings
    pushed there. Records success or the error on the connection; returns None on failure."""
    connection = (
        CalendarConnection.objects.select_related("specialist").filter(pk=connection_id).first()
    )
    if connection is None or not connection.is_active:
        return None
    now = timezone.now()
    remote = Remote(connection) if connection.kind == CalendarConnection.Kind.CALDAV else None
    try:
        result = _import_busy(remote, connection, now)
        if remote is not None and connection.push_bookings:
            _push_all(remote, Studio.get(), now)
    except Exception as exc:  # any server failure: record it for the settings page
        _record_failure(connection, exc, now)
        return None
    _record_success(connection, now)
    return result


def calendar_connection_backoff(failures: int) -> timedelta:
    """How long the periodic sync leaves a failing calendar alone: 5 min, doubling, up to 6 h."""
    if failures <= 0:
        return timedelta(0)
    return min(timedelta(minutes=5) * 2 ** (failures - 1), timedelta(hours=6))


def calendar_connections_due(*, now: datetime) -> list[int]:
    """Active connections the periodic sync should visit now (failing ones after their backoff)."""
    due = []
    for pk, failures, last_error_at in CalendarConnection.objects.filter(
        is_active=True
    ).values_list("pk", "failures", "last_error_at"):
        if not failures or last_error_at is None:
            due.append(pk)
        elif last_error_at + calendar_connection_backoff(failures) <= now:
            due.append(pk)
    return due


def calendar_connection_delete(*, connection_id: int) -> None:
    """Remove a disconnected calendar: take Tonic's events out of it (best effort: the
    specialist asked to disconnect, so a server that is down does not keep the row) and delete it."""
    connection = CalendarConnection.objects.filter(pk=connection_id, is_active=False).first()
    if connection is None:
        return
    pushes = list(CalendarPush.objects.filter(connection=connection))
    if pushes:
        remote = Remote(connection)
        try:
            for push in pushes:
                remote.delete(push.href)
        except Exception as exc:  # the server is down or refuses: leave its copies
            log.warning(
                "calendar connection %s: cleanup failed: %s", connection.pk, type(exc).__name__
            )
    BusyTime.objects.filter(connection=connection).delete()
    availability_cache.generation_bump_on_commit()  # busy times have no delete listener
    connection.delete()
