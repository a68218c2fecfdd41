"""The one money model of a booking: what it costs, what was paid where, what is still owed.

Every page, e-mail, export, API answer (`money`) and report reads `booking_money`; nothing else
adds up a booking's payments. All figures are integers in minor units of the booking's one
currency (the studio's).

- price: the session's price when it was booked.
- deposit: the part asked for at booking when it is less than the price (0 = pay in full).
- paid_online: card payments Stripe says succeeded.
- paid_in_studio: money staff took at the desk (bookings/desk/).
- refunded: card refunds plus desk refunds.
- balance_due: what the client still owes, never negative. A booking that takes place (held,
  confirmed, completed) owes its price; a late cancellation or a no-show owes the studio's
  late-cancel fee (at most the price); a cancellation in time owes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from accounts.models import Studio

from .templatetags.payments_money import minor_per_major

if TYPE_CHECKING:
    from .models import Booking

OWES_PRICE = ("held", "confirmed", "completed")
# What to prefetch on a queryset of bookings so booking_money adds no query per booking.
MONEY_PREFETCH = ("payments", "desk_payments")


@dataclass(frozen=True)
class BookingMoney:
    currency: str
    price: int
    deposit: int
    paid_online: int
    paid_in_studio: int
    refunded: int
    balance_due: int

    @property
    def net_paid(self) -> int:
        """What the studio keeps of this booking so far."""
        return self.paid_online + self.paid_in_studio - self.refunded

    @property
    def owed(self) -> int:
        """What the booking costs the client given how it went (net paid + balance)."""
        return max(self.net_paid, 0) + self.balance_due

    def as_dict(self) -> dict:
        """The API's `money` object (flat: no deep copy, as dataclasses.asdict would make)."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def late_fee_applies(booking: Booking) -> bool:
    """Whether the studio's late-cancel fee is what this booking costs (so worth reading)."""
    return booking.status not in OWES_PRICE and (
        booking.status == "no_show" or booking.late_cancellation
    )


def payments_none_yet(booking: Booking) -> None:
    """A booking this request has just inserted, not paid by card: it has no payment rows yet
    (only a card booking gets one at once), so reading its money costs no query. For the
    answer built right after booking it, not for an instance that lives on."""
    if booking.payment_method != "stripe":
        booking._prefetched_objects_cache = {  # type: ignore[attr-defined]  # Django's own
            name: _no_rows(type(booking)._meta.get_field(name).related_model)
            for name in MONEY_PREFETCH
        }


def _no_rows(model):
    """An empty queryset already evaluated, as prefetch_related stores one: reading it
    compiles nothing (a plain .none() is compiled, to nothing, on every read)."""
    rows = model._default_manager.none()
    rows._result_cache, rows._prefetch_done = [], True
    return rows


def booking_charge(booking: Booking, *, late_cancel_fee: int) -> int:
    """What a booking costs the client, given its status (see the module's docstring)."""
    if booking.status in OWES_PRICE:
        return booking.price
    if booking.status == "no_show" or booking.late_cancellation:
        return min(booking.price, late_cancel_fee)
    return 0


def booking_money(booking: Booking, *, late_cancel_fee: int | None = None) -> BookingMoney:
    """The booking's money from its payment rows (prefetch `payments` and `desk_payments` to
    read many bookings in a fixed number of queries). `late_cancel_fee` defaults to the
    studio's; pass it when reading many bookings."""
    if late_cancel_fee is None:  # one row, if it matters; callers reading many pass it in
        late_cancel_fee = Studio.get().late_cancel_fee if late_fee_applies(booking) else 0
    paid_online = refunded = paid_in_studio = 0
    for payment in booking.payments.all():
        if payment.paid_at is not None:
            paid_online += payment.amount
            refunded += payment.amount_refunded
    for row in booking.desk_payments.all():
        if row.kind == "refund":
            refunded += row.amount
        else:
            paid_in_studio += row.amount
    net = paid_online + paid_in_studio - refunded
    charge = booking_charge(booking, late_cancel_fee=late_cancel_fee)
    deposit = booking.amount_due if 0 < booking.amount_due < booking.price else 0
    return BookingMoney(
        currency=booking.currency,
        price=booking.price,
        deposit=deposit,
        paid_online=paid_online,
        paid_in_studio=paid_in_studio,
        refunded=refunded,
        balance_due=max(0, charge - net),
    )


def minor_units(amount: Decimal, currency: str) -> int:
    """95.00 USD -> 9500; raises ValueError for a fraction the currency has not (1.5 JPY)."""
    value = amount * minor_per_major(currency)
    if value != value.to_integral_value():
        raise ValueError("This currency has no smaller unit than that.")
    return int(value)


def major_units(minor: int, currency: str) -> Decimal:
    """9500 USD -> Decimal("95.00"), for forms that show currency units."""
    per = minor_per_major(currency)
    return (Decimal(minor) / per).quantize(Decimal(1) / per)
