"""Units of rooms and equipment: who uses which unit when.

A claim takes one unit from start to end. Claims of one resource queue behind a row lock on the
resource (PostgreSQL; SQLite's IMMEDIATE transactions queue every writer) and re-check which
units are free; underneath, the exclusion constraint `unit_claim_no_overlap` (migration 0006)
refuses a second active claim of a unit at one time, whoever forgot the lock.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q

from studio.kernel.errors import Conflict

from ..availability_cache import generation_bump_on_commit
from ..models import Booking
from .models import ClassOccurrence, Resource, ResourceUnit, ServiceResource, UnitClaim

NO_UNIT = "Every {name} is in use at that time."
EXCLUSION_SQLSTATES = {"23P01", "40P01"}  # exclusion_violation, deadlock_detected


def resource_create(*, slug: str, name: str, units: int, kind: str = Resource.Kind.EQUIPMENT):
    """A resource and its numbered units."""
    resource = Resource.objects.create(slug=slug, name=name, units=units, kind=kind)
    ResourceUnit.objects.bulk_create(
        ResourceUnit(resource=resource, number=n) for n in range(1, units + 1)
    )
    return resource


def resource_lock(resource: Resource) -> None:
    """Queue behind other claims of this resource (PostgreSQL; SQLite already queues)."""
    list(Resource.objects.select_for_update(no_key=True).filter(pk=resource.pk).values("pk"))


def _overlapping(start: datetime, end: datetime) -> Q:
    return Q(active=True, start__lt=end, end__gt=start)


def units_in_use(
    resource: Resource, start: datetime, end: datetime, *, exclude: Q | None = None
) -> set[int]:
    """Ids of the resource's units claimed at some moment of [start, end)."""
    claims = UnitClaim.objects.filter(_overlapping(start, end), unit__resource=resource)
    if exclude is not None:
        claims = claims.exclude(exclude)
    return set(claims.values_list("unit_id", flat=True))


def unit_claim(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    booking: Booking | None = None,
    occurrence: ClassOccurrence | None = None,
) -> UnitClaim:
    """Claim the lowest-numbered free unit for [start, end). Raises Conflict when none is free."""
    resource_lock(resource)
    taken = units_in_use(resource, start, end)
    unit = resource.unit_rows.exclude(pk__in=taken).order_by("number").first()
    if unit is None:
        raise Conflict(NO_UNIT.format(name=resource.name.lower()))
    claim = UnitClaim(unit=unit, start=start, end=end, booking=booking, occurrence=occurrence)
    try:
        with transaction.atomic():
            claim.save(force_insert=True)
    except (IntegrityError, OperationalError) as exc:
        state = getattr(exc.__cause__, "sqlstate", None) or getattr(exc.__cause__, "pgcode", None)
        if state in EXCLUSION_SQLSTATES or "unit_claim_no_overlap" in str(exc):
            raise Conflict(NO_UNIT.format(name=resource.name.lower())) from exc
        raise
    return claim


def claims_release(*, booking: Booking | None = None, occurrence: ClassOccurrence | None = None):
    """Give back the units a booking or a class holds (kept as inactive history)."""
    if (booking is None) == (occurrence is None):
        raise ValueError("release the claims of one booking or of one class")
    owner = {"booking": booking} if booking is not None else {"occurrence": occurrence}
    if UnitClaim.objects.filter(active=True, **owner).update(active=False):
        generation_bump_on_commit()  # places left on the timetable (update() sends no signal)


def service_resource(service) -> Resource | None:
    """The resource a private-session service needs, if any. A service read by
    bookings.selectors.service_get carries the answer's id (`needs_resource_id`), so a service
    that needs none costs no query."""
    if hasattr(service, "needs_resource_id"):
        need_id = service.needs_resource_id
        return None if need_id is None else Resource.objects.get(pk=need_id)
    need = ServiceResource.objects.filter(service=service).select_related("resource").first()
    return need.resource if need else None


def booking_claim_units(booking: Booking) -> None:
    """A private session of a service that needs a room or equipment claims one unit over its
    blocked time. Raises Conflict when every unit is in use."""
    resource = service_resource(booking.service)
    if resource is not None:
        unit_claim(
            resource=resource,
            start=booking.blocked_start,
            end=booking.blocked_end,
            booking=booking,
        )
