"""Reads for classes: the timetable with places left, one occurrence's places, rosters.

Places offered = min(capacity, units of its equipment not used by anything else at that time)
less the places booked (held or confirmed) and the places held for a waitlist offer.
The timetable costs five queries for any number of classes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet

from accounts.models import SpecialistProfile
from studio.kernel.errors import NotFound

from ..models import Booking
from ..selectors import blocking_bookings
from .models import ClassOccurrence, Resource, UnitClaim, WaitlistEntry, WaitlistOffer


@dataclass(frozen=True)
class Places:
    """How full one class is."""

    places: int  # min(capacity, free units)
    taken: int  # held or confirmed bookings
    held_for_offers: int  # places kept for a waitlist offer
    waiting: int

    @property
    def left(self) -> int:
        return max(0, self.places - self.taken - self.held_for_offers)


def _occurrences() -> QuerySet[ClassOccurrence]:
    return ClassOccurrence.objects.select_related("class_type", "instructor__user", "resource")


def occurrence_get(pk: int) -> ClassOccurrence:
    """A class by id (the path's <id:> converter turned away ids no row can have); raises
    NotFound."""
    occurrence = _occurrences().filter(pk=pk).first()
    if occurrence is None:
        raise NotFound("No such class.")
    return occurrence


def _counts(queryset, key: str) -> dict[int, int]:
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")).values_list(key, "n"))


def _held_offers() -> Q:
    return Q(status=WaitlistOffer.Status.OPEN, kind=WaitlistOffer.Kind.HELD)


def _units_used_elsewhere(occurrences: list[ClassOccurrence]) -> dict[int, int]:
    """For each class with equipment, how many of its units others use during it (1 query)."""
    with_equipment = [o for o in occurrences if _per_place(o.resource)]
    if not with_equipment:
        return {}
    claims = UnitClaim.objects.filter(
        active=True,
        unit__resource_id__in={o.resource_id for o in with_equipment},
        start__lt=max(o.end for o in with_equipment),
        end__gt=min(o.start for o in with_equipment),
    ).values_list("unit__resource_id", "unit_id", "start", "end", "booking__occurrence_id")
    rows = list(claims)
    used: dict[int, int] = {}
    for o in with_equipment:
        used[o.pk] = len(
            {
                unit
                for resource, unit, start, end, owner in rows
                if resource == o.resource_id and start < o.end and end > o.start and owner != o.pk
            }
        )
    return used


def _per_place(resource: Resource | None) -> bool:
    """Equipment: each place takes a unit (a room is taken by the class as a whole)."""
    return resource is not None and resource.kind == Resource.Kind.EQUIPMENT


def places_many(occurrences: Iterable[ClassOccurrence], now: datetime) -> dict[int, Places]:
    """Places of each class, in four queries whatever their number."""
    occurrences = list(occurrences)
    ids = [o.pk for o in occurrences]
    taken = _counts(
        Booking.objects.filter(blocking_bookings(now), occurrence_id__in=ids), "occurrence_id"
    )
    held = _counts(
        WaitlistOffer.objects.filter(_held_offers(), occurrence_id__in=ids), "occurrence_id"
    )
    waiting = _counts(
        WaitlistEntry.objects.filter(occurrence_id__in=ids, status__in=WaitlistEntry.ACTIVE),
        "occurrence_id",
    )
    elsewhere = _units_used_elsewhere(occurrences)
    result = {}
    for o in occurrences:
        places = o.capacity
        if o.resource is not None and o.pk in elsewhere:
            places = min(places, o.resource.units - elsewhere[o.pk])
        result[o.pk] = Places(
            places=max(0, places),
            taken=taken.get(o.pk, 0),
            held_for_offers=held.get(o.pk, 0),
            waiting=waiting.get(o.pk, 0),
        )
    return result


def places_of(occurrence: ClassOccurrence, now: datetime) -> Places:
    return places_many([occurrence], now)[occurrence.pk]


def timetable(
    *,
    start: datetime,
    end: datetime,
    class_type: str = "",
    instructor: int | None = None,
    include_cancelled: bool = False,
) -> list[ClassOccurrence]:
    """Classes starting in [start, end), sorted by start, optionally by type and instructor."""
    rows = _occurrences().filter(start__gte=start, start__lt=end)
    if not include_cancelled:
        rows = rows.filter(status=ClassOccurrence.Status.SCHEDULED)
    if class_type:
        rows = rows.filter(class_type__slug=class_type)
    if instructor:
        rows = rows.filter(instructor_id=instructor)
    return list(rows.order_by("start", "pk"))


def instructors() -> QuerySet[SpecialistProfile]:
    """Who teaches any class, for the timetable's filter."""
    return (
        SpecialistProfile.objects.filter(class_occurrences__isnull=False)
        .select_related("user")
        .distinct()
    )


def roster(occurrence: ClassOccurrence) -> list[Booking]:
    """The places of a class, for staff: held, confirmed and marked ones, by booking time."""
    return list(
        occurrence.bookings.exclude(status=Booking.Status.CANCELLED)
        .select_related("client__user", "check_in")
        .order_by("created", "pk")
    )


def waitlist_position(entry: WaitlistEntry) -> int:
    """1 for the first in line among those still waiting or offered."""
    return WaitlistEntry.objects.filter(
        occurrence_id=entry.occurrence_id, status__in=WaitlistEntry.ACTIVE, pk__lte=entry.pk
    ).count()


def class_waiting_by_client(occurrence_ids: list[int], client_id: int | None) -> dict[int, int]:
    """The client's place in line per class (for the timetable's buttons)."""
    if client_id is None:
        return {}
    entries = WaitlistEntry.objects.filter(
        occurrence_id__in=occurrence_ids, client_id=client_id, status__in=WaitlistEntry.ACTIVE
    )
    counts: dict[int, int] = defaultdict(int)
    for entry in entries:
        counts[entry.occurrence_id] = waitlist_position(entry)
    return dict(counts)
