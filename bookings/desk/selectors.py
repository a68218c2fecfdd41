"""Reads for the staff booking page's money and desk sections, and history in words."""

from accounts.models import User

from ..models import Booking
from ..money import booking_money
from .forms import DeskMoneyForm
from .services import desk_refundable

# A booking's history (BookingEvent.kind) as staff read it.
EVENT_WORDS = {
    "created": "Booked",
    "confirmed": "Confirmed",
    "rescheduled": "Moved",
    "cancelled": "Cancelled",
    "completed": "Marked completed",
    "no_show": "Marked as a no-show",
    "hold_expired": "Hold expired (not paid in time)",
    "desk_payment": "Payment taken at the studio",
    "desk_refund": "Money given back at the studio",
    "refund_requested": "Card refund asked for",
    "refund_policy": "Cancellation policy applied",
}


def event_words(kind: str) -> str:
    return EVENT_WORDS.get(kind, kind.replace("_", " ").capitalize())


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
