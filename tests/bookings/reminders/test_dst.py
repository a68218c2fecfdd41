"""Time travel across DST changes: America/New_York falls back on 2026-11-01 (02:00 EDT ->
01:00 EST), Europe/Berlin on 2026-10-25 (03:00 CEST -> 02:00 CET).

Offsets are real elapsed time, so "24 h before" a Sunday-morning session after the change goes
out at 11:00 on Saturday, local wall time; the e-mail shows the session in the client's zone
with the abbreviation that will be in force then.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from bookings.models import Reminder
from tests.bookings.reminders.helpers import book, run_due, utc

pytestmark = pytest.mark.django_db


def local(tz: str, *args, fold: int = 0) -> datetime:
    return datetime(*args, fold=fold, tzinfo=ZoneInfo(tz))


CASES = {
    # New York, session on the Sunday after the change; the reminder is sent on Saturday (EDT).
    "new-york-24h": (
        "America/New_York",
        local("America/New_York", 2026, 11, 1, 10, 0),
        "before-1440",
        utc(2026, 10, 31, 15, 0),  # 11:00 EDT on Saturday, 23 wall-clock hours before
        "Sunday 1 November 2026 at 10:00 AM EST",
        "Sun 1 Nov, 10:00 AM EST",
    ),
    # The second 1:30 of the night (EST): due at 00:30 EDT, an hour before the clocks go back.
    "new-york-2h-repeated-hour": (
        "America/New_York",
        local("America/New_York", 2026, 11, 1, 1, 30, fold=1),
        "before-120",
        utc(2026, 11, 1, 4, 30),
        "Sunday 1 November 2026 at 1:30 AM EST",
        "Sun 1 Nov, 1:30 AM EST",
    ),
    # The first 1:30 (EDT), one real hour earlier than the one above.
    "new-york-2h-first-hour": (
        "America/New_York",
        local("America/New_York", 2026, 11, 1, 1, 30, fold=0),
        "before-120",
        utc(2026, 11, 1, 3, 30),
        "Sunday 1 November 2026 at 1:30 AM EDT",
        "Sun 1 Nov, 1:30 AM EDT",
    ),
    "berlin-24h": (
        "Europe/Berlin",
        local("Europe/Berlin", 2026, 10, 25, 10, 0),
        "before-1440",
        utc(2026, 10, 24, 9, 0),  # 11:00 CEST on Saturday
        "Sunday 25 October 2026 at 10:00 AM CET",
        "Sun 25 Oct, 10:00 AM CET",
    ),
    "berlin-2h-across-the-change": (
        "Europe/Berlin",
        local("Europe/Berlin", 2026, 10, 25, 3, 30),
        "before-120",
        utc(2026, 10, 25, 0, 30),  # 02:30 CEST, before the clocks go back
        "Sunday 25 October 2026 at 3:30 AM CET",
        "Sun 25 Oct, 3:30 AM CET",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_reminder_across_dst_is_sent_at_the_real_offset_and_shows_local_time(case):
    tz, start, kind, due, long_text, short_text = CASES[case]
    with time_machine.travel(utc(2026, 10, 15, 12, 0), tick=False) as clock:
        booking = book(start=start, tz=tz)
        Reminder.objects.filter(booking=booking).exclude(kind=kind).delete()
        row = Reminder.objects.get(booking=booking)
        assert row.due_at == due
        assert booking.start - row.due_at == timedelta(minutes=int(kind.split("-")[1]))

        clock.move_to(due - timedelta(seconds=1))
        run_due()
        assert mail.outbox == []

        clock.move_to(due)
        run_due()
        [message] = mail.outbox
        assert long_text in message.body
        assert message.subject.endswith(short_text)
        row.refresh_from_db()
        assert (row.status, row.sent_at) == ("sent", due)


@pytest.mark.parametrize(
    ("kind", "grace"), [("before-1440", timedelta(hours=6)), ("before-120", timedelta(hours=1))]
)
def test_reminder_grace_counts_real_hours_across_the_new_york_change(kind, grace):
    """Two sessions at "1:30 AM" on the night the clocks go back, one real hour apart: when the
    later one's reminder is exactly `grace` late, the earlier one's is an hour past its grace."""
    later = local("America/New_York", 2026, 11, 1, 1, 30, fold=1)  # 01:30 EST
    earlier = local("America/New_York", 2026, 11, 1, 1, 30, fold=0)  # 01:30 EDT
    with time_machine.travel(utc(2026, 10, 15, 12, 0), tick=False) as clock:
        on_time = Reminder.objects.get(booking=book(start=later), kind=kind)
        too_late = Reminder.objects.get(booking=book(start=earlier), kind=kind)
        assert on_time.due_at - too_late.due_at == timedelta(hours=1)
        clock.move_to(on_time.due_at + grace)
        run_due()
        on_time.refresh_from_db()
        too_late.refresh_from_db()
        assert on_time.status == "sent"
        assert too_late.status == "skipped"
        assert too_late.last_error.startswith("Not sent: ")
