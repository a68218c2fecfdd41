"""What bookings/services.py calls so classes and resources follow every booking change.

- place_lock(booking): first thing in a change that frees a place (cancel, hold expiry): queue
  on the class's row lock, the lock that booking a place and claiming an offer take.
- booking_inserted(booking): a private session of a service needing a room or equipment claims
  a unit (Conflict when none is free: the booking is not made).
- booking_freed(booking, now): the units go back; a class place is offered to the waitlist.
- booking_may_move(booking) / booking_moved(booking): a class place cannot be moved on its own
  (book another class); a private session's unit moves with it.
"""

from __future__ import annotations

from datetime import datetime

from studio.kernel.errors import Conflict

from ..models import Booking
from . import resources
from .models import ClassOccurrence
from .waitlist import offer_free_places


def place_lock(booking: Booking) -> None:
    if booking.occurrence_id is not None:
        list(
            ClassOccurrence.objects.select_for_update(no_key=True)
            .filter(pk=booking.occurrence_id)
            .values("pk")
        )


def booking_inserted(booking: Booking) -> None:
    resources.booking_claim_units(booking)


def booking_freed(booking: Booking, now: datetime) -> None:
    resources.claims_release(booking=booking)
    if booking.occurrence_id is not None:
        offer_free_places(ClassOccurrence.objects.get(pk=booking.occurrence_id), now=now)


def booking_may_move(booking: Booking) -> None:
    if booking.occurrence_id is not None:
        raise Conflict("A place in a class cannot be moved: cancel it and book another class.")


def booking_moved(booking: Booking) -> None:
    resources.claims_release(booking=booking)
    resources.booking_claim_units(booking)
