"""Every write to a class: create a series, edit one class or this and following, book a place,
cancel a class.

Exactly the capacity is ever booked: a place is booked inside a transaction that first locks the
occurrence's row (PostgreSQL; on SQLite the IMMEDIATE transaction queues every writer), then
counts the places left and inserts. Cancelling a place (bookings/services.py) takes the same
lock before it frees the place and offers it to the waitlist (waitlist.py). An instructor
teaching is busy: creating or moving a class locks the instructor like a private booking does
and refuses a clash; private bookings see classes as busy time (bookings/selectors.py).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.care_team import care_team_join
from accounts.models import CareTeamMember, SpecialistProfile, Studio, User
from studio.kernel.errors import Conflict, Invalid, NotAllowed

from .. import services as booking_services
from ..availability_cache import generation_bump_on_commit
from ..models import Booking, Service
from ..notifications import booking_notify_later
from ..payments.services import payment_start
from ..reminders.services import reminders_schedule
from . import places, resources, selectors, series, waitlist
from .models import ClassOccurrence, ClassSeries, ClassType, Resource

# --- creating ---------------------------------------------------------------------------------


def class_type_for(title: str, duration_minutes: int = 60) -> ClassType:
    """The class type named `title`, created with its hidden service on first use."""
    slug = slugify(title)[:50] or "class"
    found = ClassType.objects.filter(slug=slug).first()
    if found is not None:
        return found
    service = Service.objects.create(
        name=title[:120],
        slug=f"class-{slug}"[:50],
        is_active=False,
        duration_minutes=duration_minutes,
    )
    return ClassType.objects.create(name=title[:120], slug=slug, service=service)


def instructor_clash(
    instructor: SpecialistProfile,
    start: datetime,
    end: datetime,
    *,
    exclude_occurrence: int | None = None,
) -> str | None:
    """Why the instructor cannot teach from start to end (another class, a private session)."""
    classes = ClassOccurrence.objects.filter(
        instructor=instructor,
        status=ClassOccurrence.Status.SCHEDULED,
        start__lt=end,
        end__gt=start,
    )
    if exclude_occurrence is not None:
        classes = classes.exclude(pk=exclude_occurrence)
    if classes.exists():
        return "The instructor teaches another class at that time."
    private = Booking.objects.filter(
        booking_services.selectors.blocking_bookings(timezone.now()),
        specialist=instructor,
        occurrence__isnull=True,
        blocked_start__lt=end,
        blocked_end__gt=start,
    )
    if private.exists():
        return "The instructor has a private session at that time."
    return None


def _room_claim(occurrence: ClassOccurrence) -> None:
    """A class in a room takes one unit of the room for its whole length."""
    if occurrence.resource is not None and occurrence.resource.kind == Resource.Kind.ROOM:
        resources.unit_claim(
            resource=occurrence.resource,
            start=occurrence.start,
            end=occurrence.end,
            occurrence=occurrence,
        )


@transaction.atomic
def class_create(
    *,
    title: str,
    instructor: SpecialistProfile,
    start: datetime,
    zone: str,
    duration_minutes: int,
    capacity: int,
    resource: Resource | None = None,
    weekdays: list[int] | None = None,
    until: date | None = None,
    price: int = 0,
    credits: int = 0,
    by: User | None = None,
) -> list[ClassOccurrence]:
    """One class, or a weekly series at start's wall-clock time in `zone` until `until`.

    Raises Conflict naming the first date the instructor or the room is taken."""
    tz = ZoneInfo(zone)
    local = start.astimezone(tz) if start.tzinfo else start.replace(tzinfo=tz)
    first, at = local.date(), local.time().replace(tzinfo=None)
    last = until or first
    if last < first:
        raise Invalid("The series ends before it starts.", field="repeat")
    if ((last - first).days // 7 + 1) * len(set(weekdays or [0])) > series.MAX_OCCURRENCES * 2:
        raise Invalid(f"At most {series.MAX_OCCURRENCES} classes in a series.", field="repeat")
    starts = series.series_starts(
        first=first, at=at, until=last, weekdays=weekdays or [first.weekday()], zone=tz
    )
    if not starts:
        raise Invalid("No date of the series falls on the chosen weekdays.", field="repeat")
    if len(starts) > series.MAX_OCCURRENCES:
        raise Invalid(f"At most {series.MAX_OCCURRENCES} classes in a series.", field="repeat")
    class_type = class_type_for(title, duration_minutes)
    row = ClassSeries.objects.create(
        class_type=class_type,
        instructor=instructor,
        timezone=zone,
        first_date=first,
        local_time=at,
        weekdays=sorted(set(weekdays or [first.weekday()])),
        until=last,
        created_by=by,
    )
    booking_services.lock_specialists([instructor])
    length = timedelta(minutes=duration_minutes)
    currency = Studio.get().currency
    occurrences = []
    for moment in starts:
        clash = instructor_clash(instructor, moment, moment + length)
        if clash:
            raise Conflict(f"{moment.astimezone(tz):%a %d %b %Y %H:%M}: {clash}")
        occurrence = ClassOccurrence.objects.create(
            series=row,
            class_type=class_type,
            instructor=instructor,
            start=moment,
            end=moment + length,
            capacity=capacity,
            price=price,
            currency=currency,
            credits=credits,
            resource=resource,
        )
        _room_claim(occurrence)
        occurrences.append(occurrence)
    generation_bump_on_commit()
    return occurrences


# --- editing ----------------------------------------------------------------------------------

SCOPES = ("this", "following")


def _targets(occurrence: ClassOccurrence, scope: str) -> list[ClassOccurrence]:
    if scope not in SCOPES:
        raise Invalid("Edit 'this' class or 'following' ones.", field="scope")
    if scope == "this" or occurrence.series_id is None:
        return [occurrence]
    return list(
        ClassOccurrence.objects.filter(
            series_id=occurrence.series_id,
            start__gte=occurrence.start,
            status=ClassOccurrence.Status.SCHEDULED,
        ).order_by("start")
    )


@transaction.atomic
def occurrence_edit(
    *,
    occurrence: ClassOccurrence,
    scope: str = "this",
    instructor: SpecialistProfile | None = None,
    start: datetime | None = None,
    capacity: int | None = None,
    duration_minutes: int | None = None,
    by: User | None = None,
    now: datetime | None = None,
) -> list[ClassOccurrence]:
    """Substitute the instructor, move, resize or re-time one class or this and all following.

    A move keeps each class's wall-clock time in its series' zone. Attendees' bookings move
    along (and are told); a capacity below the places booked is refused (Conflict); a capacity
    raised offers the new places to the waitlist."""
    now = now or timezone.now()
    if start is not None and start.tzinfo is None:
        raise Invalid("Give the start time with its UTC offset.", field="start")
    targets = _targets(occurrence, scope)
    zone = ZoneInfo(occurrence.series.timezone if occurrence.series else Studio.get().timezone)
    days, at = 0, None
    if start is not None:
        new_local = start.astimezone(zone)
        days = (new_local.date() - occurrence.start.astimezone(zone).date()).days
        at = new_local.time().replace(tzinfo=None)
    people = {o.instructor_id for o in targets} | ({instructor.pk} if instructor else set())
    booking_services.lock_specialists(SpecialistProfile.objects.filter(pk__in=people))
    changed = []
    for target in targets:
        target = places.lock(target)
        new_start = target.start
        if at is not None:
            new_start = series.shifted_start(target.start, days=days, at=at, zone=zone)
        length = (
            timedelta(minutes=duration_minutes) if duration_minutes else target.end - target.start
        )
        teacher = instructor or target.instructor
        clash = instructor_clash(
            teacher, new_start, new_start + length, exclude_occurrence=target.pk
        )
        if clash:
            raise Conflict(f"{new_start.astimezone(zone):%a %d %b %Y %H:%M}: {clash}")
        full = selectors.places_of(target, now)
        if capacity is not None and capacity < full.taken + full.held_for_offers:
            raise Conflict(f"{full.taken} places are booked: the capacity cannot be lower.")
        moved = (new_start, new_start + length) != (target.start, target.end)
        target.instructor = teacher
        target.start, target.end = new_start, new_start + length
        if capacity is not None:
            target.capacity = capacity
        target.save()
        if moved:
            _move_places(target, by)
        if instructor is not None:
            target.bookings.filter(status__in=Booking.BLOCKING).update(specialist=teacher)
        waitlist.offer_free_places(target, now=now)
        changed.append(target)
    generation_bump_on_commit()
    return changed


def _move_places(occurrence: ClassOccurrence, by: User | None) -> None:
    """The class moved: its bookings, unit claims and reminders move with it; clients are told."""
    for booking in occurrence.bookings.filter(status__in=Booking.BLOCKING).select_for_update():
        booking.start = booking.blocked_start = occurrence.start
        booking.end = booking.blocked_end = occurrence.end
        booking.sequence += 1
        booking.save(
            update_fields=["start", "end", "blocked_start", "blocked_end", "sequence", "updated"]
        )
        booking.claims.filter(active=True).update(start=occurrence.start, end=occurrence.end)
        booking_services._changed(booking, "rescheduled", by, new_start=booking.start.isoformat())
        reminders_schedule(booking)
        booking_notify_later(booking, "rescheduled")
    occurrence.claims.filter(active=True).update(start=occurrence.start, end=occurrence.end)


# --- booking a place --------------------------------------------------------------------------


def class_book(
    *,
    occurrence: ClassOccurrence,
    user: User | None,
    name: str = "",
    email: str = "",
    phone: str = "",
    tz: str = "",
    pay_with: str = "card",
    now: datetime | None = None,
) -> tuple[Booking, dict | None]:
    """Book a place for the logged-in client or a guest. Raises Full (409 "full"), Conflict,
    Invalid. The place commits first; a card payment starts after the commit."""
    if pay_with not in ("card", "credits"):
        raise Invalid("Pay with 'card' or 'credits'.", field="pay_with")
    if pay_with == "credits" and not (user is not None and user.is_authenticated):
        raise NotAllowed("Log in to book with your credits.")
    if user is not None and user.is_authenticated and user.is_studio_staff:
        raise NotAllowed("Staff book a place for a client from the roster.")
    booking = _class_book(
        occurrence=occurrence,
        user=user,
        name=name,
        email=email,
        phone=phone,
        tz=tz,
        now=now or timezone.now(),
        pay_with=pay_with,
    )
    return booking, payment_start(booking)


@transaction.atomic
def _class_book(*, occurrence, user, name, email, phone, tz, now, pay_with="card") -> Booking:
    user = user if user is not None and user.is_authenticated else None
    occurrence = places.lock(occurrence)
    waitlist.offers_lapse_for(occurrence, now=now)
    places.bookable(occurrence, now)
    free = selectors.places_of(occurrence, now)  # holds while the lock is held
    if free.left <= 0:
        raise places.Full(places.FULL)  # before creating a guest's account for a class that is full
    studio = Studio.get()  # read once, passed on
    client, created = booking_services.client_for_booking(
        user=user, name=name, email=email, phone=phone, tz=tz, studio=studio
    )
    booking = places.place_insert(
        occurrence=occurrence,
        client=client,
        user=user,
        now=now,
        pay_with=pay_with,
        places=free,
        studio=studio,
    )
    # The instructor joins the client's care team as for any booking the client vouches for
    # (logged in, or new): never for a typed address alone (accounts/care_team.py).
    if created or (user is not None and client.user_id == user.pk):
        care_team_join(
            client=client,
            specialist=occurrence.instructor,
            reason=CareTeamMember.Reason.BOOKED,
            by=user,
            new_client=created,
        )
    return booking


# --- cancelling a class -----------------------------------------------------------------------


@transaction.atomic
def occurrence_cancel(
    *, occurrence: ClassOccurrence, by: User, reason: str = "", now: datetime | None = None
) -> ClassOccurrence:
    """Staff cancel one class: in one transaction every place is cancelled by the studio (so
    refunded in full), each attendee is owed one e-mail with the calendar's CANCEL, the
    waitlist is closed and the room or equipment released. Raises Conflict if already cancelled."""
    now = now or timezone.now()
    if not (by and by.is_authenticated and by.is_studio_staff):
        raise NotAllowed("Only studio staff can cancel a class.")
    occurrence = places.lock(occurrence)
    if occurrence.status == ClassOccurrence.Status.CANCELLED:
        raise Conflict("This class is already cancelled.")
    occurrence.status = ClassOccurrence.Status.CANCELLED
    occurrence.cancelled_at = now
    occurrence.save(update_fields=["status", "cancelled_at", "updated"])
    for booking in occurrence.bookings.filter(status__in=Booking.BLOCKING).order_by("pk"):
        booking_services.booking_cancel(
            booking=booking, by=by, reason=reason or "The class was cancelled.", now=now
        )
    waitlist.waitlist_close(occurrence)
    resources.claims_release(occurrence=occurrence)
    generation_bump_on_commit()
    return occurrence
