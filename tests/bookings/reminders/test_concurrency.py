"""Two due jobs at once, in threads of this process against the real database and a real
(slowed) SMTP server. First the test shows it catches the race: with the claim switched off
("is it pending? send it, mark it sent") reminders go out twice. Then, with the claim, once.
tests/bookings/reminders/test_worker.py repeats this with real Celery worker processes."""

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from bookings.models import Reminder
from bookings.reminders import services as reminders
from tests.bookings.reminders.helpers import book

pytestmark = pytest.mark.django_db(transaction=True)
ROWS = 8


def naive_claim(ids, now):
    """The guard switched off: read the rows and go, claiming nothing."""
    rows = Reminder.objects.select_related(
        "booking__client__user", "booking__specialist__user", "booking__service"
    ).filter(pk__in=ids, status=Reminder.Status.PENDING, sent_at__isnull=True)
    return [setattr(row, "sent_at", now) or row for row in rows], {}


def due_rows() -> list[int]:
    start = datetime.now(UTC) + timedelta(hours=2, minutes=-1)
    ids = []
    for i in range(ROWS):
        booking = book(start=start + timedelta(seconds=i))
        Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
        ids.append(Reminder.objects.get(booking=booking).pk)
    # Made due a minute ago (scheduling would have skipped rows that were due already).
    Reminder.objects.filter(pk__in=ids).update(
        due_at=datetime.now(UTC) - timedelta(minutes=1), status="pending", last_error=""
    )
    return ids


def run_two_due_jobs_at_once() -> None:
    barrier = threading.Barrier(2)
    errors = []

    def job():
        try:
            barrier.wait()
            reminders.reminders_send_due()
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def test_due_job_race_exists_without_the_claim(smtp, monkeypatch):
    ids = due_rows()
    smtp.delay = 0.1
    monkeypatch.setattr(reminders, "_claim", naive_claim)
    run_two_due_jobs_at_once()
    sent = Counter(int(m["X-Tonic-Reminder"]) for m in smtp.messages)
    assert set(sent) == set(ids)
    assert max(sent.values()) == 2, "the test would not notice a double send"


def test_due_job_twice_at_once_sends_each_reminder_once(smtp):
    ids = due_rows()
    smtp.delay = 0.1
    run_two_due_jobs_at_once()
    sent = Counter(int(m["X-Tonic-Reminder"]) for m in smtp.messages)
    assert sent == dict.fromkeys(ids, 1)
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        ("sent", 1)
    }
