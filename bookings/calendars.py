"""Calendars: ICS feeds, .ics invites and CalDAV sync.

Hooks (called by bookings/services.py and notifications):
- calendar_booking_changed(booking): after create/reschedule/cancel, inside the transaction;
  queues the CalDAV push on commit.
- invite_ics(booking, method): bytes of an .ics attachment (METHOD:REQUEST or CANCEL).
"""

from .models import Booking


def calendar_booking_changed(booking: Booking) -> None:
    """Queue pushing this booking to its specialist's connected calendars (none yet)."""
    return None


def invite_ics(booking: Booking, method: str = "REQUEST") -> bytes | None:
    """The .ics invite for an e-mail; None until calendars are built."""
    return None
