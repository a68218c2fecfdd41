"""Reminder rules: which rows a booking gets, how they move, and what the due job sends.

The due job runs in-process here (eager Celery); tests/bookings/reminders/test_worker.py runs it
on real workers. Clocks are frozen with time-machine so due times are exact.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import Studio
from bookings.models import Booking, Reminder
from bookings.reminders.services import MAX_ATTEMPTS, reminders_send_due
from tests.bookings.reminders.helpers import (
    HOUR,
    book,
    cancel,
    confirm,
    reschedule,
    rows,
    run_due,
    utc,
)
from tests.factories import BookingFactory, ServiceFactory

pytestmark = pytest.mark.django_db

NOW = utc(2026, 6, 1, 12, 0)
START = utc(2026, 6, 10, 14, 0)  # 10:00 EDT


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_reminders_schedule_confirmed_booking_gets_24h_2h_and_followup(clock):
    booking = book(start=START)
    due = {key: r.due_at for key, r in rows(booking).items()}
    assert due == {
        ("before-1440", "email"): START - 24 * HOUR,
        ("before-120", "email"): START - 2 * HOUR,
        ("followup", "email"): booking.end + 3 * HOUR,
    }
    assert {r.status for r in rows(booking).values()} == {"pending"}


def test_reminders_schedule_held_booking_gets_none_until_confirmed(clock):
    booking = book(start=START, status=Booking.Status.HELD)
    assert rows(booking) == {}
    confirm(booking)
    assert set(rows(booking)) == {
        ("before-1440", "email"),
        ("before-120", "email"),
        ("followup", "email"),
    }


def test_reminders_schedule_follows_the_studio_offsets(clock):
    studio = Studio.get()
    studio.reminder_offsets_minutes = [2880, 60]
    studio.save()
    booking = book(start=START)
    assert rows(booking)[("before-2880", "email")].due_at == START - 48 * HOUR
    assert rows(booking)[("before-60", "email")].due_at == START - HOUR
    studio.reminder_offsets_minutes = [60]
    studio.save()
    reschedule(booking, START)  # any later change applies the new offsets
    assert rows(booking)[("before-2880", "email")].status == "cancelled"
    assert rows(booking)[("before-60", "email")].status == "pending"


def test_reminders_schedule_reminder_already_due_is_recorded_as_skipped(clock):
    booking = book(start=NOW + 20 * HOUR)  # booked inside the 24 h window
    day_before = rows(booking)[("before-1440", "email")]
    assert day_before.status == "skipped"
    assert "Booked after" in day_before.last_error
    assert rows(booking)[("before-120", "email")].status == "pending"
    run_due()
    assert mail.outbox == []


def test_reminders_reschedule_moves_pending_and_sent_rows(clock):
    booking = book(start=START)
    clock.move_to(START - 24 * HOUR)
    run_due()
    assert rows(booking)[("before-1440", "email")].status == "sent"
    later = START + 48 * HOUR
    reschedule(booking, later)
    moved = rows(booking)
    assert moved[("before-1440", "email")].due_at == later - 24 * HOUR
    assert moved[("before-1440", "email")].status == "pending"  # the new time gets its own
    assert moved[("before-1440", "email")].sent_at is None
    assert moved[("before-120", "email")].due_at == later - 2 * HOUR
    clock.move_to(later - 24 * HOUR)
    run_due()
    assert len(mail.outbox) == 2
    assert "Friday 12 June 2026 at 10:00 AM EDT" in mail.outbox[1].body


def test_reminders_schedule_again_without_a_move_keeps_a_sent_row(clock):
    booking = book(start=START)
    clock.move_to(START - 24 * HOUR)
    run_due()
    confirm(booking)  # e.g. a payment webhook confirming again: same start
    assert rows(booking)[("before-1440", "email")].status == "sent"
    run_due()
    assert len(mail.outbox) == 1


def test_due_job_sends_the_email_once_in_the_clients_zone(clock):
    service = ServiceFactory(name="Postpartum recovery", duration_minutes=55)
    booking = book(start=START, tz="America/Los_Angeles", service=service)
    clock.move_to(START - 24 * HOUR - timedelta(seconds=1))
    assert run_due() == {}
    clock.move_to(START - 24 * HOUR)
    assert run_due() == {"sent": 1}
    assert run_due() == {}
    [message] = mail.outbox
    assert message.to == [booking.client.user.email]
    assert message.subject == "Reminder: your session at Pilates Tonic, Wed 10 Jun, 7:00 AM PDT"
    assert "Postpartum" not in message.subject  # no health hints in subjects
    assert "Wednesday 10 June 2026 at 7:00 AM PDT" in message.body
    assert "Postpartum recovery" in message.body
    assert f"/bookings/manage/{booking.manage_token}/" in message.body
    sent = rows(booking)[("before-1440", "email")]
    assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, START - 24 * HOUR)


def test_due_job_does_not_send_a_cancelled_bookings_reminders(clock):
    hooked = book(start=START)
    unhooked = book(start=START)
    cancel(hooked)
    cancel(unhooked, hook=False)  # e.g. changed in the admin: the due job re-checks
    assert {r.status for r in rows(hooked).values()} == {"cancelled"}
    clock.move_to(START - 2 * HOUR)
    run_due()
    assert mail.outbox == []
    assert rows(unhooked)[("before-1440", "email")].status == "cancelled"
    assert rows(unhooked)[("before-120", "email")].last_error == "Booking cancelled."


@pytest.mark.parametrize(
    ("kind", "offset", "grace"),
    [("before-1440", 24 * HOUR, 6 * HOUR), ("before-120", 2 * HOUR, HOUR)],
)
def test_due_job_skips_a_reminder_overdue_past_its_grace(clock, kind, offset, grace):
    at_limit = book(start=START)
    past_limit = book(start=START + 240 * HOUR)
    clock.move_to(START - offset + grace)  # exactly `grace` late: still sent
    run_due()
    assert rows(at_limit)[(kind, "email")].status == "sent"
    clock.move_to(START + 240 * HOUR - offset + grace + timedelta(seconds=1))
    run_due()
    skipped = rows(past_limit)[(kind, "email")]
    assert skipped.status == "skipped"
    assert "late (grace" in skipped.last_error
    assert len(mail.outbox) == 1


def test_due_job_worker_down_for_a_day_skips_and_records_both(clock):
    booking = book(start=START)
    clock.move_to(START - timedelta(minutes=30))
    run_due()
    assert mail.outbox == []
    notes = {k: (r.status, r.last_error) for k, r in rows(booking).items() if k[0] != "followup"}
    assert notes == {
        ("before-1440", "email"): ("skipped", "Not sent: 23 h 30 min late (grace 6 h)."),
        ("before-120", "email"): ("skipped", "Not sent: 1 h 30 min late (grace 1 h)."),
    }


def test_due_job_retries_a_failed_send_with_backoff_then_succeeds(clock, smtp):
    booking = book(start=START)
    due = START - 2 * HOUR
    Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
    smtp.refuse = 2  # the mail server is busy twice
    clock.move_to(due)
    assert run_due() == {"retry": 1}
    row = rows(booking)[("before-120", "email")]
    assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
    assert "451" in row.last_error
    clock.move_to(due + timedelta(seconds=59))
    assert run_due() == {}  # waiting out the first backoff (60 s)
    clock.move_to(due + timedelta(seconds=60))
    assert run_due() == {"retry": 1}
    clock.move_to(due + timedelta(seconds=60 + 119))
    assert run_due() == {}  # the second wait doubles (120 s)
    clock.move_to(due + timedelta(seconds=180))
    assert run_due() == {"sent": 1}
    row = rows(booking)[("before-120", "email")]
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(smtp.for_reminder(row.pk)) == 1


def test_due_job_gives_up_after_max_attempts_and_records_the_error(clock, smtp, settings):
    settings.REMINDERS_RETRY_SECONDS = 1
    booking = book(start=START)
    Reminder.objects.filter(booking=booking).exclude(kind="before-1440").delete()
    smtp.refuse = 100
    clock.move_to(START - 24 * HOUR)
    outcomes = []
    for _ in range(MAX_ATTEMPTS):
        outcomes.append(run_due())
        clock.shift(timedelta(minutes=30))
    assert outcomes[-1] == {"failed": 1}
    row = rows(booking)[("before-1440", "email")]
    assert (row.status, row.attempts) == ("failed", MAX_ATTEMPTS)
    assert row.last_error.startswith(f"Attempt {MAX_ATTEMPTS}: SMTP")
    assert smtp.messages == []


def test_due_job_takes_over_a_claim_left_by_a_dead_worker(clock):
    booking = book(start=START)
    Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
    row = rows(booking)[("before-120", "email")]
    claimed = START - 2 * HOUR
    # A worker claimed it and died before sending or recording anything.
    Reminder.objects.filter(pk=row.pk).update(sent_at=claimed, attempts=1, updated=claimed)
    clock.move_to(claimed + timedelta(minutes=9))
    assert run_due() == {}  # inside the lease: maybe still sending
    clock.move_to(claimed + timedelta(minutes=10))
    assert run_due() == {"sent": 1}
    assert rows(booking)[("before-120", "email")].attempts == 2


def test_due_job_schedules_bookings_made_outside_the_services(clock):
    booking = BookingFactory(start=START)  # e.g. added in the admin: no hook was called
    assert rows(booking) == {}
    run_due()  # the next run (every minute) notices it
    assert {r.status for r in rows(booking).values()} == {"pending"}
    clock.move_to(START - 24 * HOUR)
    assert run_due() == {"sent": 1}
    assert rows(booking)[("before-120", "email")].status == "pending"


def test_due_job_handles_a_batch_and_leaves_the_rest_for_the_next_run(clock):
    for minute in range(5):
        book(start=START + timedelta(minutes=minute))
    clock.move_to(START - 24 * HOUR + 10 * timedelta(minutes=1))
    assert reminders_send_due(limit=3) == {"sent": 3}
    assert reminders_send_due(limit=3) == {"sent": 2}
    assert len(mail.outbox) == 5


@pytest.mark.parametrize("status", [Booking.Status.COMPLETED, Booking.Status.CONFIRMED])
def test_followup_goes_out_after_the_session_with_a_booking_link(clock, status):
    """Sent 3 h after the end, whether or not staff marked the session completed."""
    booking = book(start=START)
    Booking.objects.filter(pk=booking.pk).update(status=status)
    clock.move_to(booking.end + 3 * HOUR - timedelta(seconds=1))
    run_due()
    assert not [m for m in mail.outbox if "Thank you" in m.subject]
    clock.move_to(booking.end + 3 * HOUR)
    run_due()
    [message] = [m for m in mail.outbox if "Thank you" in m.subject]
    assert message.subject == "Thank you for your session at Pilates Tonic"
    assert f"/book/?service={booking.service.slug}" in message.body
    assert "/portal/" in message.body


def test_followup_is_skipped_for_a_no_show(clock):
    booking = book(start=START)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.NO_SHOW)
    clock.move_to(booking.end + 3 * HOUR)
    run_due()
    assert rows(booking)[("followup", "email")].status == "skipped"
    assert not [m for m in mail.outbox if "Thank you" in m.subject]


def test_followup_is_skipped_when_the_next_session_is_booked(clock):
    booking = book(start=START)
    book(start=START + 7 * 24 * HOUR, client=booking.client)
    clock.move_to(booking.end + 3 * HOUR)
    run_due()
    followup = rows(booking)[("followup", "email")]
    assert (followup.status, followup.last_error) == ("skipped", "Already booked the next session.")


def test_booking_moved_while_its_reminder_is_being_sent_gets_one_for_the_new_time(
    clock, monkeypatch
):
    from bookings.reminders import messages as reminders_messages

    booking = book(start=START)
    real_deliver = reminders_messages.deliver
    later = START + 24 * HOUR

    def deliver_while_the_client_reschedules(row):
        real_deliver(row)
        reschedule(booking, later)  # lands between our claim and our "sent"

    monkeypatch.setattr(reminders_messages, "deliver", deliver_while_the_client_reschedules)
    clock.move_to(START - 24 * HOUR)
    assert run_due() == {"sent": 1}
    row = rows(booking)[("before-1440", "email")]
    # The claim was voided by the move: the row waits for the new time instead of "sent".
    assert (row.status, row.sent_at, row.due_at) == ("pending", None, later - 24 * HOUR)
    monkeypatch.setattr(reminders_messages, "deliver", real_deliver)
    clock.move_to(later - 24 * HOUR)
    assert run_due() == {"sent": 1}
    assert "Thursday 11 June 2026 at 10:00 AM EDT" in mail.outbox[-1].body
