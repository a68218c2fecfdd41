"""Reads for bookings: the catalogue, availability inputs for the slot engine, booking lists.

Every selector here runs a fixed number of queries, however long the range or however many
bookings it holds: the availability inputs are three queries for any number of specialists.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import SpecialistProfile, Studio, User
from accounts.zones import canonical_zone
from studio.kernel import sql
from studio.kernel.errors import Invalid, NotFound

from .availability import Interval, Policy, Schedule, ServiceShape, Slot, free_slots_many
from .models import (
    Booking,
    BusyTime,
    ClassOccurrence,
    Closure,
    DateOverride,
    Service,
    ServiceResource,
    WeeklyHours,
)
from .money import MONEY_PREFETCH

# Load one extra day on each side: buffers and zone offsets reach past the window's edges.
_PAD = timedelta(days=1)
MAX_RANGE_DAYS = 62


def zone_or_invalid(name: str, *, field: str = "tz") -> ZoneInfo:
    """The ZoneInfo of an IANA name, under its current name (Asia/Calcutta -> Asia/Kolkata:
    accounts/zones.py); raises Invalid for anything else."""
    current = canonical_zone(name)
    if current is None:
        raise Invalid(f"'{name}' is not a known IANA time zone.", field=field)
    return ZoneInfo(current)


def studio_policy(studio: Studio) -> Policy:
    """The slot engine's policy from the studio's settings."""
    return Policy(
        min_notice=timedelta(hours=studio.min_notice_hours),
        horizon=timedelta(days=studio.booking_horizon_days),
        granularity=timedelta(minutes=max(1, studio.slot_granularity_minutes)),
    )


def service_shape(service: Service) -> ServiceShape:
    return ServiceShape(
        duration=timedelta(minutes=service.duration_minutes),
        buffer_before=timedelta(minutes=service.buffer_before_minutes),
        buffer_after=timedelta(minutes=service.buffer_after_minutes),
    )


# --- catalogue --------------------------------------------------------------------------------


def service_list() -> QuerySet[Service]:
    """Active services with the ids of the active specialists offering them (2 queries)."""
    return Service.objects.filter(is_active=True).prefetch_related("specialists")


def service_get(slug: str, *, field: str = "service") -> Service:
    """An active service by slug; raises Invalid (the API answers 400) when there is none.
    Raw SQL: every availability answer and booking starts here, and the queryset's compilation
    cost more than the read (0.3 -> 0.08 ms). The service carries `needs_resource_id`, the
    resource its private sessions need (None: none), read by bookings/classes/resources.py."""
    need = sql.table(ServiceResource)
    for service in Service.objects.raw(
        f"SELECT s.*, (SELECT n.resource_id FROM {need} n WHERE n.service_id = s.id) "
        f"AS needs_resource_id FROM {sql.table(Service)} s WHERE s.slug = %s AND s.is_active = %s",
        [slug, True],
    ):
        return service  # slugs are unique
    raise Invalid(f"No bookable service '{slug}'.", field=field)


def specialist_list() -> QuerySet[SpecialistProfile]:
    """Active specialists with their user and active services (2 queries)."""
    return (
        SpecialistProfile.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("services")
    )


def specialists_for(
    service: Service, *, only: SpecialistProfile | None = None, lock: bool = False
) -> list[SpecialistProfile]:
    """The active specialists offering a service, by id, with their users; `only`: just that
    one (an empty list when they do not offer it). `lock`: their rows locked in the same query,
    as bookings.services.lock_specialists does (PostgreSQL; SQLite ignores it).

    Raw SQL, one query (every booking starts here): the users come back whole, each with their
    profile's columns beside it, and become the profiles' cached `user`."""
    columns = {  # attribute: column, for the profile's own fields
        f.attname: str(f.column)
        for f in SpecialistProfile._meta.concrete_fields
        if f.name != "user"
    }
    quote = connection.ops.quote_name
    picks = ", ".join(f"p.{quote(c)} AS {quote('p_' + c)}" for c in columns.values())
    query = (
        f"SELECT u.*, {picks} FROM {sql.table(SpecialistProfile)} p "
        f"JOIN {sql.table(User)} u ON u.id = p.user_id "
        f"JOIN {sql.table(Service.specialists.through)} o ON o.specialistprofile_id = p.id "
        f"WHERE o.service_id = %s AND p.is_active = %s AND u.is_active = %s"
    )
    params: list = [service.pk, True, True]
    if only is not None:
        query += " AND p.id = %s"
        params.append(only.pk)
    query += " ORDER BY p.id" + (sql.lock_clause(of="p") if lock else "")
    found = []
    for user in User.objects.raw(query, params):
        values = {name: getattr(user, f"p_{column}") for name, column in columns.items()}
        values["is_active"] = True  # the WHERE above (SQLite gives 1)
        profile = SpecialistProfile(**values, user=user)
        profile._state.adding, profile._state.db = False, user._state.db
        found.append(profile)
    return found


# --- availability -----------------------------------------------------------------------------


def blocking_bookings(now: datetime) -> Q:
    """Bookings that take time: confirmed ones, and holds that have not expired (the same rule
    in SQL: _spans)."""
    return Q(status=Booking.Status.CONFIRMED) | Q(
        Q(hold_expires_at__isnull=True) | Q(hold_expires_at__gt=now), status=Booking.Status.HELD
    )


def schedules_load(
    *,
    specialists: Sequence[SpecialistProfile | Offering],
    window: Interval,
    now: datetime,
    exclude_booking: int | None = None,
) -> list[Schedule]:
    """Each specialist's Schedule over window in three queries, whatever the range or load.

    Raw SQL on purpose: building these as querysets (filters, unions, values_list) cost more
    CPU than running them and the slot engine together. The rules are the querysets' they
    replaced: weekly hours; date overrides near the window; every span that takes a specialist's
    time (busy time from their calendars, the classes they teach, bookings that hold time, see
    blocking_bookings) and studio closures (no specialist: everyone's).
    """
    ids = [s.pk for s in specialists]
    if not ids:
        return []
    start, end = window.start - _PAD, window.end + _PAD
    weekly: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for sid, weekday, w_start, w_end in sql.rows(
        f'SELECT specialist_id, weekday, start, "end" FROM {sql.table(WeeklyHours)} '
        f"WHERE specialist_id IN {sql.placeholders(ids)}",
        ids,
    ):
        weekly[sid][weekday].append((w_start, w_end))
    extra: dict[int, list[tuple[date, time, time]]] = defaultdict(list)
    blocked: dict[int, set[date]] = defaultdict(set)
    day = connection.ops.adapt_datefield_value
    for sid, on, kind, o_start, o_end in sql.rows(
        f'SELECT specialist_id, date, kind, start, "end" FROM {sql.table(DateOverride)} '
        f"WHERE specialist_id IN {sql.placeholders(ids)} AND date >= %s AND date <= %s",
        [*ids, day(start.date() - _PAD), day(end.date() + _PAD)],
    ):
        if kind == DateOverride.Kind.BLOCKED:
            blocked[sid].add(on)
        elif o_start is not None and o_end is not None:  # the model's check guarantees both
            extra[sid].append((on, o_start, o_end))
    busy: dict[int | None, list[Interval]] = defaultdict(list)
    for sid, span in _spans(ids, start, end, now, exclude_booking):
        busy[sid].append(span)
    closed = busy[None]
    return [
        Schedule(
            specialist_id=s.pk,
            timezone=s.timezone,
            weekly={day: tuple(ranges) for day, ranges in weekly[s.pk].items()},
            extra=tuple(extra[s.pk]),
            blocked_dates=frozenset(blocked[s.pk]),
            busy=(*busy[s.pk], *closed),
        )
        for s in specialists
    ]


def _spans(
    ids: Sequence[int], start: datetime, end: datetime, now: datetime, exclude: int | None
) -> list[tuple[int | None, Interval]]:
    """(specialist id, span) of everything overlapping [start, end) that takes time, in one
    query; a studio closure has no specialist (None).

    Read straight from the driver: Django's per-value converters were most of the time a month
    of bookings took to load. PostgreSQL gives aware UTC datetimes (USE_TZ,
    studio.kernel.sql.fast_timestamps);
    SQLite stores naive UTC text, read here as text marked +00:00 and parsed by
    datetime.fromisoformat (C). The database's checks keep each span in order, so Interval's
    checks are skipped."""
    at = connection.ops.adapt_datetimefield_value
    if connection.vendor == "sqlite":
        start_col, end_col = "start || '+00:00'", "\"end\" || '+00:00'"
        booked = "blocked_start || '+00:00', blocked_end || '+00:00'"
    else:
        start_col, end_col, booked = "start", '"end"', "blocked_start, blocked_end"
    cols = f"{start_col}, {end_col}"
    lo, hi = at(start), at(end)
    booking_filter = (
        "status = %s OR (status = %s AND (hold_expires_at IS NULL OR hold_expires_at > %s))"
    )
    booking_params: list = [Booking.Status.CONFIRMED, Booking.Status.HELD, at(now)]
    if exclude is not None:
        booking_filter = f"({booking_filter}) AND id <> %s"
        booking_params.append(exclude)
    overlaps = 'start < %s AND "end" > %s'
    query = (
        f"SELECT specialist_id, {cols} FROM {sql.table(BusyTime)} "
        f"WHERE specialist_id IN {sql.placeholders(ids)} AND {overlaps} "
        f"UNION ALL SELECT instructor_id, {cols} FROM {sql.table(ClassOccurrence)} "
        f"WHERE instructor_id IN {sql.placeholders(ids)} AND status = %s AND {overlaps} "
        f"UNION ALL SELECT specialist_id, {booked} FROM {sql.table(Booking)} "
        f"WHERE specialist_id IN {sql.placeholders(ids)} AND blocked_start < %s AND blocked_end > %s "
        f"AND ({booking_filter}) "
        f"UNION ALL SELECT NULL, {cols} FROM {sql.table(Closure)} WHERE {overlaps}"
    )
    params = [
        *ids, hi, lo,
        *ids, ClassOccurrence.Status.SCHEDULED, hi, lo,
        *ids, hi, lo, *booking_params,
        hi, lo,
    ]  # fmt: skip
    fetched = sql.rows(query, params)
    span = Interval.from_utc
    if fetched and isinstance(fetched[0][1], str):
        parse = datetime.fromisoformat
        return [(key, span(parse(s), parse(e))) for key, s, e in fetched]
    return [(key, span(s, e)) for key, s, e in fetched]


def slots_find(
    *,
    service: Service,
    specialists: Sequence[SpecialistProfile | Offering],
    window: Interval,
    now: datetime,
    studio: Studio | None = None,
    exclude_booking: int | None = None,
) -> list[Slot]:
    """Free slots of a service with these specialists, starting inside window (4 queries; 3
    when the studio is given)."""
    studio = studio or Studio.get()
    schedules = schedules_load(
        specialists=specialists, window=window, now=now, exclude_booking=exclude_booking
    )
    return free_slots_many(
        schedules=schedules,
        service=service_shape(service),
        window=window,
        now=now,
        policy=studio_policy(studio),
    )


def slot_free_specialists(
    *,
    service: Service,
    specialists: Sequence[SpecialistProfile],
    start: datetime,
    now: datetime,
    exclude_booking: int | None = None,
    studio: Studio | None = None,
) -> list[SpecialistProfile]:
    """Which of these specialists have `start` as a free slot of the service right now."""
    window = Interval(start, start + timedelta(microseconds=1))
    free = {
        slot.specialist_id
        for slot in slots_find(
            service=service,
            specialists=specialists,
            window=window,
            now=now,
            studio=studio,
            exclude_booking=exclude_booking,
        )
        if slot.start == start
    }
    return [s for s in specialists if s.pk in free]


def local_window(
    start: date, end: date, zone: ZoneInfo, *, max_days: int = MAX_RANGE_DAYS
) -> Interval:
    """[start 00:00, end+1 00:00) in zone: the dates from start to end inclusive. Raises
    Invalid for a reversed range or one longer than max_days."""
    if end < start:
        raise Invalid("The end date is before the start date.", field="end")
    if (end - start).days + 1 > max_days:
        raise Invalid(f"Ask for at most {max_days} days at a time.", field="end")
    return Interval(
        datetime.combine(start, time(0), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone),
    )


class Offering(NamedTuple):
    """What the availability answer needs of a specialist offering the service."""

    pk: int
    timezone: str
    name: str


def _offering(service: Service, specialist: int | None) -> list[Offering]:
    """specialists_for(service) (or the one specialist among them) as plain rows, one raw query:
    the queryset's joins cost more to build than to run on this path."""
    query = (
        "SELECT p.id, p.timezone, u.first_name, u.last_name, u.email "
        f"FROM {sql.table(SpecialistProfile)} p "
        f"JOIN {sql.table(User)} u ON u.id = p.user_id "
        f"JOIN {sql.table(Service.specialists.through)} o ON o.specialistprofile_id = p.id "
        f"WHERE o.service_id = %s AND p.is_active = %s AND u.is_active = %s"
    )
    params: list = [service.pk, True, True]
    if specialist is not None:
        query += " AND p.id = %s"
        params.append(specialist)
    return [
        Offering(pk, zone, User(first_name=first, last_name=last, email=email).name)
        for pk, zone, first, last, email in sql.rows(query + " ORDER BY p.id", params)
    ]


def availability(
    *,
    service: Service,
    start: date,
    end: date,
    zone: ZoneInfo,
    specialist: int | None = None,
    now: datetime | None = None,
    exclude_booking: int | None = None,
    studio: Studio | None = None,
) -> tuple[list[Slot], dict[int, Offering]]:
    """Free slots between two local dates in zone, and their specialists by id (4 queries
    when the studio is given: GET /api/availability/ adds the service and the studio).
    Raises Invalid for a bad range or a specialist who does not offer the service."""
    window = local_window(start, end, zone)
    specialists = _offering(service, specialist)
    if specialist is not None and not specialists:
        raise Invalid("That specialist does not offer this service.", field="specialist")
    slots = slots_find(
        service=service,
        specialists=specialists,
        window=window,
        now=now or timezone.now(),
        studio=studio,
        exclude_booking=exclude_booking,
    )
    return slots, {s.pk: s for s in specialists}


# --- bookings ---------------------------------------------------------------------------------


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related("client__user", "specialist__user", "service")


def booking_list(
    *,
    user: User,
    specialist: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str | None = None,
) -> QuerySet[Booking]:
    """The bookings a user may see (a client: own; staff: their care teams' clients', see
    accounts/access.py), filtered, by start (1 query; 2 with shared files)."""
    qs = _bookings().filter(access.client_filter(user, "client__"))
    if specialist is not None:
        qs = qs.filter(specialist_id=specialist)
    if start is not None:
        qs = qs.filter(end__gt=start)
    if end is not None:
        qs = qs.filter(start__lt=end)
    if status:
        qs = qs.filter(status=status)
    return qs.prefetch_related(*MONEY_PREFETCH).order_by("start", "pk")


def booking_get_for(*, pk: int, user: User | None = None, token: str | None = None) -> Booking:
    """A booking the manage token's holder, or a user who may see its client (its client,
    staff on the client's care team, the owner: accounts/access.py), may see; raises NotFound."""
    booking = _bookings().filter(pk=pk).first()
    if booking is not None:
        # As bytes: compare_digest refuses non-ASCII str, and a stray token must be a 404.
        if token is not None and secrets.compare_digest(
            booking.manage_token.encode(), str(token).encode()
        ):
            return booking
        if access.may_see_client(user, booking.client_id):
            return booking
    raise NotFound("No such booking.")


def booking_get_by_token(token: str) -> Booking:
    """The booking behind a manage link; raises NotFound."""
    booking = _bookings().filter(manage_token=token).first()
    if booking is None:
        raise NotFound("This booking link is not valid.")
    return booking


def booking_viewer_zone(booking: Booking, user: User | None) -> str:
    """The client's zone, for a booking's link pages (manage, pay) that name none, when the
    viewer may see the client (that client, their care team, the owner); "" for anyone else:
    the holder of a link may be a guest who typed an existing client's address, and must not
    learn where that client lives."""
    if access.may_see_client(user, booking.client_id):
        return booking.client.timezone
    return ""


def booking_events(booking: Booking) -> QuerySet:
    return booking.events.select_related("by").order_by("created", "pk")


def bookings_between(
    *,
    start: datetime,
    end: datetime,
    specialists: Sequence[int] | None = None,
    statuses: Sequence[str] | None = None,
) -> QuerySet[Booking]:
    """Bookings overlapping [start, end), for calendars and day lists (1 query)."""
    qs = _bookings().filter(start__lt=end, end__gt=start)
    if specialists is not None:
        qs = qs.filter(specialist_id__in=list(specialists))
    if statuses is not None:
        qs = qs.filter(status__in=list(statuses))
    return qs.order_by("start", "specialist_id")


def bookings_upcoming_for_client(*, user: User, now: datetime, limit: int = 10) -> list[Booking]:
    """A client's own held or confirmed bookings from now on."""
    return list(
        _bookings()
        .filter(client__user=user, end__gt=now, status__in=Booking.BLOCKING)
        .order_by("start")[:limit]
    )


def bookings_past_for_client(*, user: User, now: datetime, limit: int = 5) -> list[Booking]:
    return list(_bookings().filter(client__user=user, end__lte=now).order_by("-start")[:limit])
