"""A worker that dies mid-batch loses no reminder: the claim lease and the grace agree for every
offset a studio may choose (bookings/reminders/services.py, "Lease and grace agree").

The death is real as far as the database can tell: the due job claims the row (its UPDATE
commits), then the send raises an exception no `except Exception` catches, as a killed process
would leave it. The later due jobs run every REMINDERS_DUE_EVERY_SECONDS on a frozen clock.
"""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.forms.models import model_to_dict

from accounts.models import Studio
from bookings.models import Reminder
from bookings.reminders import messages as reminders_messages
from bookings.reminders.kinds import MAX_OFFSET_MINUTES, MIN_OFFSET_MINUTES, grace_for
from bookings.reminders.services import CLAIM_LEASE, reminders_send_due
from tests import factories
from tests.bookings.reminders.helpers import book, rows, utc

pytestmark = pytest.mark.django_db

START = utc(2026, 6, 20, 14, 0)
ALLOWED = [MIN_OFFSET_MINUTES, 45, 120, 1440, MAX_OFFSET_MINUTES]


class WorkerDied(BaseException):
    """The process is gone: nothing after this line runs, no handler records anything."""


def sweep_every(settings) -> timedelta:
    return timedelta(seconds=settings.REMINDERS_DUE_EVERY_SECONDS)


def test_every_allowed_offset_leaves_room_for_a_take_over(settings):
    """Claimed on time: taken over within the grace. Claimed at the end of the grace: taken
    over before the session. Checked minute by minute over the whole allowed range."""
    sweep = sweep_every(settings)
    for minutes in range(MIN_OFFSET_MINUTES, MAX_OFFSET_MINUTES + 1):
        offset, grace = timedelta(minutes=minutes), grace_for(f"before-{minutes}")
        assert sweep + CLAIM_LEASE + sweep <= grace, minutes
        assert grace + CLAIM_LEASE + sweep < offset, minutes


def only(booking, kind: str) -> Reminder:
    Reminder.objects.filter(booking=booking).exclude(kind=kind).delete()
    return rows(booking)[(kind, "email")]


def die_while_sending(monkeypatch) -> None:
    """The due job claims, then its worker dies before the message leaves."""

    def killed(row):
        raise WorkerDied

    with monkeypatch.context() as patch:
        patch.setattr(reminders_messages, "deliver", killed)
        with pytest.raises(WorkerDied):
            reminders_send_due()


def take_over(clock, settings, claimed_at) -> tuple:
    """Run the due job every minute after the death until it sends (at most two runs past the
    lease, never past the start); returns (when, counts)."""
    at, counts = claimed_at, {}
    last = min(claimed_at + CLAIM_LEASE + 2 * sweep_every(settings), START)
    while not counts.get("sent") and at < last:
        at += sweep_every(settings)
        clock.move_to(at)
        counts = reminders_send_due()
        if at - claimed_at < CLAIM_LEASE:
            assert counts == {}, "taken over inside the lease: the first worker may be sending"
    return at, counts


@pytest.mark.parametrize("minutes", ALLOWED)
def test_reminder_claimed_by_a_worker_that_died_is_sent_after_the_lease(
    settings, monkeypatch, minutes
):
    Studio.objects.filter(pk=Studio.get().pk).update(reminder_offsets_minutes=[minutes])
    kind = f"before-{minutes}"
    due = START - timedelta(minutes=minutes)
    with time_machine.travel(START - timedelta(days=20), tick=False) as clock:
        row = only(book(start=START), kind)
        clock.move_to(due)
        die_while_sending(monkeypatch)
        row.refresh_from_db()
        assert (row.status, row.sent_at, row.attempts) == ("pending", due, 1)
        assert mail.outbox == []

        sent_at, counts = take_over(clock, settings, claimed_at=due)

    assert counts == {"sent": 1}
    assert CLAIM_LEASE <= sent_at - due <= grace_for(kind)  # within its grace
    assert sent_at < START
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("minutes", ALLOWED)
def test_reminder_claimed_at_the_end_of_its_grace_by_a_worker_that_died_still_goes_out(
    settings, monkeypatch, minutes
):
    """The workers came back late (the row was still in its grace), claimed it and died: it was
    in time when claimed, so the take-over sends it, before the session."""
    Studio.objects.filter(pk=Studio.get().pk).update(reminder_offsets_minutes=[minutes])
    kind = f"before-{minutes}"
    claimed_at = START - timedelta(minutes=minutes) + grace_for(kind)
    with time_machine.travel(START - timedelta(days=20), tick=False) as clock:
        row = only(book(start=START), kind)
        clock.move_to(claimed_at)
        die_while_sending(monkeypatch)

        sent_at, counts = take_over(clock, settings, claimed_at=claimed_at)

    assert counts == {"sent": 1}
    assert sent_at < START
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_studio_admin_refuses_reminder_offsets_below_the_floor(client):
    studio = Studio.get()
    client.force_login(factories.owner(email="boss@example.org"))
    path = f"/admin/accounts/studio/{studio.pk}/change/"
    form = {k: v for k, v in model_to_dict(studio).items() if v is not None}

    def save(offsets):
        return client.post(path, {**form, "reminder_offsets_minutes": json.dumps(offsets)})

    response = save([1440, 10])
    assert response.status_code == 200  # the form again, with the error
    assert "10 minutes: a reminder goes out between 30 minutes and 14 days" in (
        response.content.decode()
    )
    assert Studio.get().reminder_offsets_minutes == [1440, 120]
    assert save([1440, "soon"]).status_code == 200
    assert save([1440, MIN_OFFSET_MINUTES]).status_code == 302
    assert Studio.get().reminder_offsets_minutes == [1440, MIN_OFFSET_MINUTES]


def test_offsets_stored_below_the_floor_before_the_check_are_ignored():
    """A studio row saved before the admin checked offsets: no reminder it cannot keep."""
    Studio.objects.filter(pk=Studio.get().pk).update(reminder_offsets_minutes=[120, 10])
    with time_machine.travel(START - timedelta(days=2), tick=False):
        booking = book(start=START)
    assert {kind for kind, _ in rows(booking)} == {"before-120", "followup"}
