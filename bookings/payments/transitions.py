"""Booking state changes caused by money: a paid hold is confirmed, an unpaid one released.

Callers hold the booking row locked (select_for_update; on SQLite the IMMEDIATE transaction
serialises writers). Each change bumps `sequence`, adds a BookingEvent and tells calendars;
a confirmation also schedules reminders and e-mails the client and the specialist (with the
invite), once: repeats of the same news find the booking no longer held and change nothing.
"""

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.calendars.events import calendar_booking_changed
from bookings.models import Booking, BookingEvent, Payment
from bookings.notifications import booking_notify_later
from bookings.reminders.services import reminders_cancel, reminders_schedule

log = logging.getLogger(__name__)
HOLD_RELEASED = "hold_released"
# What bookings/services.py recorded for a hold freed by a competing booking before both paths
# became one (issue 14); such rows still exist, and mean the same.
HOLD_RELEASED_BEFORE = "hold_expired"


def _record(booking: Booking, fields: list[str], *, kind: str, by=None, data=None) -> None:
    booking.sequence += 1
    booking.save(update_fields=[*fields, "sequence", "updated"])
    BookingEvent.objects.create(booking=booking, kind=kind, by=by, data=data or {})
    calendar_booking_changed(booking)


def booking_confirm_paid(*, booking: Booking, payment: Payment) -> Booking:
    """Confirm a held booking whose payment succeeded; no-op unless it is held."""
    if booking.status != Booking.Status.HELD:
        return booking
    booking.status = Booking.Status.CONFIRMED
    booking.payment_method = Booking.PaymentMethod.STRIPE
    _record(
        booking,
        ["status", "payment_method"],
        kind="confirmed",
        data={"payment_intent": payment.payment_intent, "amount": payment.amount},
    )
    reminders_schedule(booking)
    booking_notify_later(booking, "confirmed")
    return booking


def booking_hold_expire(*, booking: Booking, now: datetime) -> bool:
    """Cancel a held booking whose hold has expired (frees the slot); False if not applicable."""
    if booking.status != Booking.Status.HELD or not booking.hold_expires_at:
        return False
    if booking.hold_expires_at > now:
        return False
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    _record(
        booking,
        ["status", "cancelled_at"],
        kind=HOLD_RELEASED,
        data={"hold_expired_at": booking.hold_expires_at.isoformat()},
    )
    reminders_cancel(booking)
    return True


def released_by_expiry(booking: Booking) -> bool:
    """Whether the booking's latest change (money bookkeeping aside) was its hold expiring."""
    last = (
        booking.events.exclude(kind__startswith="payment_")
        .exclude(kind__startswith="refund_")
        .order_by("-pk")
        .values_list("kind", flat=True)
        .first()
    )
    return last in (HOLD_RELEASED, HOLD_RELEASED_BEFORE)


def _overlap_exists(booking: Booking) -> bool:
    return (
        Booking.objects.filter(
            specialist_id=booking.specialist_id,
            status__in=Booking.BLOCKING,
            blocked_start__lt=booking.blocked_end,
            blocked_end__gt=booking.blocked_start,
        )
        .exclude(pk=booking.pk)
        .exists()
    )


def booking_reconfirm_paid(*, booking: Booking, payment: Payment, now=None) -> bool:
    """Re-confirm a released hold that was paid late, if its slot is still free and ahead.

    On SQLite the IMMEDIATE transaction makes check-then-write safe; on PostgreSQL the
    exclusion constraint `booking_no_overlap` is the final word (IntegrityError = taken).
    """
    now = now or timezone.now()
    if booking.status != Booking.Status.CANCELLED or booking.start <= now:
        return False
    if _overlap_exists(booking):
        return False
    try:
        with transaction.atomic():
            booking.status = Booking.Status.CONFIRMED
            booking.payment_method = Booking.PaymentMethod.STRIPE
            booking.cancelled_at = None
            booking.late_cancellation = False
            _record(
                booking,
                ["status", "payment_method", "cancelled_at", "late_cancellation"],
                kind="reconfirmed",
                data={"payment_intent": payment.payment_intent, "amount": payment.amount},
            )
    except IntegrityError:  # booking_no_overlap: another booking took the slot meanwhile
        log.info("booking %s: slot taken before the late payment re-confirmed it", booking.pk)
        booking.refresh_from_db()
        return False
    reminders_schedule(booking)
    booking_notify_later(booking, "confirmed")
    return True
