"""The daily agenda e-mail to each specialist.

agendas_schedule (every 15 minutes from beat) makes, for each active specialist whose local time
has reached AGENDA_HOUR and who has confirmed sessions today (local), one `agenda` Reminder row
due at AGENDA_HOUR local time. The row hangs on one of the day's bookings (the unique key needs
a booking); the day it covers is read from its due time, so the anchor may later move or be
cancelled without losing the agenda. The reminders due job sends it like any other row: claimed
once, retried on failure, skipped past the grace period. Its content is read at send time.
"""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SpecialistProfile
from bookings.models import Booking, Reminder
from bookings.reminders.kinds import AGENDA, zone

AGENDA_HOUR = time(7, 0)


def agenda_due(specialist: SpecialistProfile, day: date) -> datetime:
    """AGENDA_HOUR on `day` in the specialist's zone."""
    return datetime.combine(day, AGENDA_HOUR, tzinfo=zone(specialist.timezone))


def _day_bookings(specialist: SpecialistProfile, day: date):
    tz = zone(specialist.timezone)
    # Local midnight to local midnight: 23 or 25 hours on a DST change day.
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return (
        Booking.objects.filter(
            specialist=specialist,
            status=Booking.Status.CONFIRMED,
            start__gte=start,
            start__lt=end,
        )
        .select_related("client__user", "service")
        .order_by("start", "pk")
    )


def agenda_bookings(row: Reminder) -> list[Booking]:
    """The confirmed sessions of the day an agenda row covers, in order."""
    specialist = row.booking.specialist
    day = row.due_at.astimezone(zone(specialist.timezone)).date()
    return list(_day_bookings(specialist, day))


def agendas_schedule(*, now: datetime | None = None) -> int:
    """Create today's agenda row for each specialist past AGENDA_HOUR with sessions still to
    come today; returns how many were created. Safe to run again (one per specialist and day)."""
    now = now or timezone.now()
    created = 0
    for specialist in SpecialistProfile.objects.filter(is_active=True):
        local = now.astimezone(zone(specialist.timezone))
        if local.time() < AGENDA_HOUR:
            continue
        due = agenda_due(specialist, local.date())
        if Reminder.objects.filter(
            kind=AGENDA, booking__specialist=specialist, due_at=due
        ).exists():
            continue
        bookings = list(_day_bookings(specialist, local.date()))
        if not any(b.start > now for b in bookings):
            continue
        taken = set(
            Reminder.objects.filter(booking__in=bookings, kind=AGENDA).values_list(
                "booking_id", flat=True
            )
        )
        anchor = next((b for b in bookings if b.pk not in taken), None)
        if anchor is None:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    booking=anchor, kind=AGENDA, channel=Reminder.Channel.EMAIL, due_at=due
                )
            created += 1
        except IntegrityError:  # another worker made it a moment ago
            continue
    return created
