"""Writes of the desk: record money taken at the studio, and money given back.

Both lock the booking row first, so two staff recording at once cannot together take more than
is owed (or give back more than was taken): the second re-reads the money after the first commits.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from studio.kernel.errors import Invalid, NotAllowed

from ..models import Booking, BookingEvent
from ..money import booking_money
from .models import DeskPayment


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().get(pk=booking.pk)


def _check_amount(amount: int) -> None:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise Invalid("Give a positive amount in minor units (cents).", field="amount")


def _check_method(method: str) -> None:
    if method not in DeskPayment.Method.values:
        raise Invalid("Choose cash, card terminal or other.", field="method")


def _record(booking: Booking, kind: str, *, amount: int, method: str, by: User, note: str):
    """Store the row and the booking's history entry (`desk_payment` / `desk_refund`)."""
    row = DeskPayment.objects.create(
        booking=booking,
        kind=kind,
        method=method,
        amount=amount,
        currency=booking.currency,
        note=note.strip()[:200],
        by=by,
    )
    BookingEvent.objects.create(
        booking=booking, kind=f"desk_{kind}", by=by, data={"amount": amount, "method": method}
    )
    return row


@transaction.atomic
def desk_payment_record(
    *, booking: Booking, amount: int, method: str, by: User, note: str = ""
) -> DeskPayment:
    """Record money taken at the desk against a booking. Raises NotAllowed (not staff) and
    Invalid (bad amount or method, or more than the balance due: overpaying is refused)."""
    if not by.is_studio_staff:
        raise NotAllowed("Only studio staff can record a payment at the desk.")
    _check_amount(amount)
    _check_method(method)
    booking = _locked(booking)
    due = booking_money(booking).balance_due
    if amount > due:
        raise Invalid(
            f"That is more than the balance due ({due} minor units); nothing was recorded.",
            field="amount",
        )
    return _record(
        booking, DeskPayment.Kind.PAYMENT, amount=amount, method=method, by=by, note=note
    )


def desk_refundable(booking: Booking) -> int:
    """Desk money taken for a booking and not yet given back."""
    taken = given = 0
    for row in booking.desk_payments.all():
        if row.kind == DeskPayment.Kind.REFUND:
            given += row.amount
        else:
            taken += row.amount
    return taken - given


@transaction.atomic
def desk_refund_record(
    *, booking: Booking, amount: int, method: str, by: User, note: str = ""
) -> DeskPayment:
    """Record desk money given back (the owner or the booking's specialist). Raises NotAllowed
    and Invalid (bad amount or method, or more than was taken at the desk; card payments are
    refunded through Stripe instead)."""
    if not (by.is_owner or (by.is_studio_staff and booking.specialist.user_id == by.pk)):
        raise NotAllowed("Only the owner or the booking's specialist can give money back.")
    _check_amount(amount)
    _check_method(method)
    booking = _locked(booking)
    refundable = desk_refundable(booking)
    if amount > refundable:
        raise Invalid(
            f"At most {refundable} minor units were taken at the desk and not given back.",
            field="amount",
        )
    return _record(booking, DeskPayment.Kind.REFUND, amount=amount, method=method, by=by, note=note)
