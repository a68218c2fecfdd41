"""Helpers for the reminder tests: book, move and cancel the way bookings/services.py does
(change the row, then call the reminder hook inside the same transaction)."""

from datetime import UTC, datetime, timedelta

from django.db import transaction

from bookings.models import Booking, Reminder
from bookings.reminders.services import reminders_cancel, reminders_schedule
from tests.factories import BookingFactory, ClientFactory


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def book(*, start: datetime, tz: str = "America/New_York", phone: str = "", **kwargs) -> Booking:
    """A booking made through the hooks: the row, then reminders_schedule in its transaction."""
    if "client" not in kwargs:
        kwargs["client"] = ClientFactory(timezone=tz, phone=phone)
    with transaction.atomic():
        booking = BookingFactory(start=start, **kwargs)
        reminders_schedule(booking)
    return booking


def reschedule(booking: Booking, start: datetime) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        length = booking.end - booking.start
        booking.start, booking.end = start, start + length
        booking.blocked_start, booking.blocked_end = start, start + length
        booking.sequence += 1
        booking.save()
        reminders_schedule(booking)
    return booking


def confirm(booking: Booking) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.status = Booking.Status.CONFIRMED
        booking.save()
        reminders_schedule(booking)
    return booking


def cancel(booking: Booking, *, hook: bool = True) -> Booking:
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        booking.status = Booking.Status.CANCELLED
        booking.save()
        if hook:
            reminders_cancel(booking)
    return booking


def rows(booking: Booking) -> dict[tuple[str, str], Reminder]:
    return {(r.kind, r.channel): r for r in Reminder.objects.filter(booking=booking)}


def run_due() -> dict:
    """The periodic job, run the way beat runs it (eager in these tests)."""
    from bookings.reminders.tasks import reminders_send_due_task

    return reminders_send_due_task.delay().get()


HOUR = timedelta(hours=1)
