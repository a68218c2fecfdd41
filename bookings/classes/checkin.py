"""Check-in from the roster: staff tick who came. After class the unticked places become
no-shows and the ticked ones completed (the periodic job); a tick within 24 hours after class
still turns a no-show into completed, and back."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts import access
from accounts.models import User
from studio.kernel.errors import Conflict, NotFound

from .. import services as booking_services
from ..models import Booking
from . import selectors
from .models import ClassCheckIn, ClassOccurrence

REVERSIBLE = timedelta(hours=24)
TICKABLE = (Booking.Status.CONFIRMED, Booking.Status.COMPLETED, Booking.Status.NO_SHOW)


def roster_rows(occurrence: ClassOccurrence, user: User) -> list[dict]:
    """The roster as this staff member may see it: names of their care teams' clients only."""
    rows = []
    for booking in selectors.roster(occurrence):
        named = access.may_see_client(user, booking.client_id)
        rows.append(
            {
                "booking": booking.pk,
                "name": booking.client.name if named else "A client (not on your care team)",
                "status": booking.status,
                "checked_in": hasattr(booking, "check_in"),
            }
        )
    return rows


@transaction.atomic
def place_check_in(
    *,
    occurrence: ClassOccurrence,
    booking_id: int,
    present: bool,
    by: User,
    now: datetime | None = None,
) -> Booking:
    """Tick (or untick) one place. Raises NotFound, Conflict (too late, not a live place)."""
    now = now or timezone.now()
    booking = occurrence.bookings.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("No such place in this class.")
    if booking.status not in TICKABLE:
        raise Conflict(f"A {booking.get_status_display().lower()} place cannot be ticked.")
    if now > occurrence.end + REVERSIBLE:
        raise Conflict("Attendance can be changed up to 24 hours after class.")
    if present:
        ClassCheckIn.objects.get_or_create(booking=booking, defaults={"by": by})
    else:
        ClassCheckIn.objects.filter(booking=booking).delete()
    if booking.status != Booking.Status.CONFIRMED:  # already marked after class: follow the tick
        marked = Booking.Status.COMPLETED if present else Booking.Status.NO_SHOW
        booking = booking_services.booking_mark(booking=booking, status=marked, by=by, now=now)
    return booking


def classes_mark_attendance(*, now: datetime | None = None) -> int:
    """The periodic job: places of classes that have ended become completed (ticked) or
    no-shows (unticked). Each booking is locked and re-checked, so a rerun marks nothing twice."""
    now = now or timezone.now()
    places = Booking.objects.filter(
        occurrence__isnull=False,
        occurrence__end__lte=now,
        occurrence__end__gt=now - REVERSIBLE,
        status=Booking.Status.CONFIRMED,
    ).values_list("pk", flat=True)
    marked = 0
    for pk in list(places):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=pk).first()
            if booking is None or booking.status != Booking.Status.CONFIRMED:
                continue
            status = (
                Booking.Status.COMPLETED
                if ClassCheckIn.objects.filter(booking=booking).exists()
                else Booking.Status.NO_SHOW
            )
            booking.status = status
            booking.sequence += 1
            booking.save(update_fields=["status", "sequence", "updated"])
            booking_services._changed(booking, status, None, by_job=True)
            marked += 1
    return marked
