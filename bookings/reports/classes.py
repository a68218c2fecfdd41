"""How full the classes were: one row per class type over the report's range.

A class held in the range (scheduled, not cancelled) offers min(capacity, its equipment's units)
places; `booked` counts the places given to clients (confirmed, completed or no-show, as the
rest of the report counts sessions that took place), `attended` those ticked on the roster.
Fill rate = booked / offered over the classes held; cancelled classes are counted apart and
left out of it. Waitlist demand = everyone who joined a held class's waitlist. Four queries for
any number of classes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from ..availability import Interval
from ..classes.models import ClassCheckIn, ClassOccurrence, Resource, WaitlistEntry
from ..models import Booking


@dataclass
class ClassRow:
    class_type: int
    name: str
    held: int = 0
    cancelled: int = 0
    places_offered: int = 0
    booked: int = 0
    attended: int = 0
    no_shows: int = 0
    waitlist: int = 0

    @property
    def fill_rate(self) -> float:
        return round(self.booked / self.places_offered, 4) if self.places_offered else 0.0

    def as_dict(self) -> dict:
        return {
            "class_type": self.class_type,
            "name": self.name,
            "held": self.held,
            "cancelled": self.cancelled,
            "places_offered": self.places_offered,
            "booked": self.booked,
            "attended": self.attended,
            "no_shows": self.no_shows,
            "fill_rate": self.fill_rate,
            "waitlist": self.waitlist,
        }


def _offered(occurrence: ClassOccurrence) -> int:
    """Places the class offered: its capacity, or fewer machines when it needs equipment."""
    resource = occurrence.resource
    if resource is not None and resource.kind == Resource.Kind.EQUIPMENT:
        return min(occurrence.capacity, resource.units)
    return occurrence.capacity


def _per_occurrence(queryset, *values: str) -> Counter:
    rows = queryset.order_by().values_list(*values).annotate(n=Count("pk"))
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def class_rows(window: Interval) -> list[ClassRow]:
    """One row per class type with a class starting in the window, by name."""
    occurrences = list(
        ClassOccurrence.objects.filter(start__gte=window.start, start__lt=window.end)
        .select_related("class_type", "resource")
        .order_by("start", "pk")
    )
    held = [o.pk for o in occurrences if o.status != ClassOccurrence.Status.CANCELLED]
    places = _per_occurrence(
        Booking.objects.filter(occurrence_id__in=held, status__in=Booking.TOOK_PLACE),
        "occurrence_id",
        "status",
    )
    attended = _per_occurrence(
        ClassCheckIn.objects.filter(booking__occurrence_id__in=held), "booking__occurrence_id"
    )
    waiting = _per_occurrence(WaitlistEntry.objects.filter(occurrence_id__in=held), "occurrence_id")
    rows: dict[int, ClassRow] = {}
    for o in occurrences:
        row = rows.setdefault(o.class_type_id, ClassRow(o.class_type_id, o.class_type.name))
        if o.status == ClassOccurrence.Status.CANCELLED:
            row.cancelled += 1
            continue
        row.held += 1
        row.places_offered += _offered(o)
        row.booked += sum(places[(o.pk, status)] for status in Booking.TOOK_PLACE)
        row.no_shows += places[(o.pk, Booking.Status.NO_SHOW)]
        row.attended += attended[(o.pk,)]
        row.waitlist += waiting[(o.pk,)]
    return sorted(rows.values(), key=lambda r: (r.name.lower(), r.class_type))
