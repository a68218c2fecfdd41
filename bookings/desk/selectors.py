"""Reads for the staff booking page's money and desk sections, and history in words."""

from accounts.models import User

from ..models import Booking, BookingEvent
from ..money import booking_money
from .forms import DeskMoneyForm
from .services import desk_refundable


def event_words(kind: str) -> str:
    """A history entry in words (BookingEvent.Kind's labels)."""
    if kind in BookingEvent.Kind.values:
        return BookingEvent.Kind(kind).label
    return kind.replace("_", " ").capitalize()


def booking_desk_context(booking: Booking, user: User) -> dict:
    """The money of a booking and what this staff user may do about it."""
    money = booking_money(booking)
    rows = list(booking.desk_payments.select_related("by"))
    may_refund = user.is_owner or booking.specialist.user_id == user.pk
    return {
        "money": money,
        "desk_rows": rows,
        "desk_form": DeskMoneyForm(),
        "refundable": desk_refundable(booking) if may_refund else 0,
        "card_payments": booking.payments.exists(),
    }
