"""`{% with m=booking|money_of %}`: a booking's money (bookings/money.py) for templates, and
`{{ m|money_words }}`, the same figures in one short line."""

from django import template

from ..desk import selectors as desk_selectors
from ..money import BookingMoney, booking_money
from ..payments.services import stripe_enabled
from .payments_money import format_money

register = template.Library()


@register.filter
def money_of(booking) -> BookingMoney:
    """The booking's one money model; nothing in a template adds payments up itself."""
    return booking_money(booking)


@register.filter
def money_words(m: BookingMoney) -> str:
    """'$95.00 ($25.00 deposit) · paid online $25.00 · $70.00 due'; 'Free' for a free session."""
    if not (m.price or m.paid_online or m.paid_in_studio):
        return "Free"

    def fmt(amount: int) -> str:
        return format_money(amount, m.currency)

    parts = [fmt(m.price) + (f" ({fmt(m.deposit)} deposit)" if m.deposit else "")]
    if m.paid_online:
        parts.append(f"paid online {fmt(m.paid_online)}")
    if m.paid_in_studio:
        parts.append(f"paid at the studio {fmt(m.paid_in_studio)}")
    if m.refunded:
        parts.append(f"refunded {fmt(m.refunded)}")
    parts.append(f"{fmt(m.balance_due)} due" if m.balance_due else "nothing due")
    return " · ".join(parts)


@register.filter
def event_words(kind: str) -> str:
    """A booking history entry's kind in words: `no_show` -> 'Marked as a no-show'."""
    return desk_selectors.event_words(kind)


@register.simple_tag
def online_payments_on() -> bool:
    """`{% online_payments_on as online %}`: whether Stripe keys are configured."""
    return stripe_enabled()
