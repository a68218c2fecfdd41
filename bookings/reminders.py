"""Reminders: rows created with a booking, moved on reschedule, cancelled with it.

Hooks (called by bookings/services.py inside the booking's transaction):
- reminders_schedule(booking): create or move the booking's reminders.
- reminders_cancel(booking): stop them.
"""

from datetime import timedelta

from accounts.models import Studio

from .models import Booking, Reminder


def reminders_schedule(booking: Booking) -> None:
    """Create or move this booking's reminders to the studio's offsets before its start."""
    offsets = Studio.get().reminder_offsets_minutes or [1440, 120]
    for minutes in offsets:
        Reminder.objects.update_or_create(
            booking=booking,
            kind=f"before-{minutes}",
            channel=Reminder.Channel.EMAIL,
            defaults={
                "due_at": booking.start - timedelta(minutes=minutes),
                "status": Reminder.Status.PENDING,
                "sent_at": None,
            },
        )


def reminders_cancel(booking: Booking) -> None:
    """Cancel every reminder of this booking that has not gone out."""
    booking.reminders.filter(sent_at__isnull=True).update(status=Reminder.Status.CANCELLED)
