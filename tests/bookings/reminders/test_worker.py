"""Reminders on real Celery workers: two `celery worker` processes on Redis, the test database,
a real SMTP server (see tests/fixtures/workers.py). Runs in the PostgreSQL + Redis pass; skips
with the filesystem broker (the SQLite pass).

No test waits for the wall clock: this process is frozen at NOW (time-machine) and every due
job is handed the frozen instant (`reminders_send_due_task(now=...)`), so the workers in their
own processes judge due times, grace and retry waits by the same clock, however busy the
machine."""

import uuid
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from bookings.models import Reminder
from bookings.reminders.messages import when_long
from bookings.reminders.tasks import reminders_send_due_task
from tests.bookings.reminders.helpers import HOUR, book, cancel, reschedule, utc

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

NOW = utc(2026, 6, 1, 12, 0)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def due_now(count: int) -> list[int]:
    """`count` 2 h reminders made due a minute ago (other kinds removed)."""
    ids = []
    for i in range(count):
        booking = book(start=NOW + 2 * HOUR + timedelta(minutes=1 + i))
        Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
        ids.append(Reminder.objects.get(booking=booking).pk)
    Reminder.objects.filter(pk__in=ids).update(due_at=NOW - timedelta(minutes=1))
    return ids


def publish_due(workers, task_id: str | None = None) -> str:
    """Queue the due job as of this process's (frozen) clock."""
    task_id = task_id or str(uuid.uuid4())
    workers.publish(reminders_send_due_task, task_id, now=timezone.now().isoformat())
    return task_id


def run_due(workers, task_id: str | None = None, times: int = 1) -> str:
    task_id = task_id or str(uuid.uuid4())
    for _ in range(times):
        publish_due(workers, task_id)
    workers.wait_done(task_id, times)
    return task_id


def test_worker_due_job_twice_at_once_sends_each_reminder_once(celery_workers, smtp, clock):
    ids = due_now(10)
    smtp.delay = 0.1  # each run takes ~1 s: the two overlap
    first, second = publish_due(celery_workers), publish_due(celery_workers)
    celery_workers.wait_done(first)
    celery_workers.wait_done(second)
    # Each worker process ran one of the two jobs (prefetch 1, acks late).
    logs = [celery_workers.log(0), celery_workers.log(1)]
    assert {(f"[{first}] succeeded" in log, f"[{second}] succeeded" in log) for log in logs} == {
        (True, False),
        (False, True),
    }
    sent = Counter(int(m["X-Tonic-Reminder"]) for m in smtp.messages)
    assert sent == dict.fromkeys(ids, 1)
    assert set(Reminder.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        ("sent", 1)
    }


def test_worker_redelivered_due_task_sends_nothing_twice(celery_workers, smtp, clock):
    ids = due_now(3)
    smtp.delay = 0.1
    # The broker hands the same message out again (a lost ack): same task id, run again,
    # here once on each worker at the same time, then once more after both finished.
    task_id = run_due(celery_workers, times=2)
    run_due(celery_workers, task_id)
    sent = Counter(int(m["X-Tonic-Reminder"]) for m in smtp.messages)
    assert sent == dict.fromkeys(ids, 1)


def test_worker_sends_a_rescheduled_bookings_reminder_at_the_new_time(celery_workers, smtp, clock):
    booking = book(start=NOW + 72 * HOUR)
    run_due(celery_workers)
    assert smtp.messages == []
    new_start = NOW + 3 * HOUR
    booking = reschedule(booking, new_start)
    moved = Reminder.objects.get(booking=booking, kind="before-120")
    assert moved.due_at == new_start - 2 * HOUR
    assert Reminder.objects.get(booking=booking, kind="before-1440").status == "skipped"
    clock.move_to(moved.due_at - timedelta(seconds=1))
    run_due(celery_workers)
    assert smtp.messages == []  # a second early: not yet
    clock.move_to(moved.due_at)
    run_due(celery_workers)
    [message] = smtp.messages
    assert int(message["X-Tonic-Reminder"]) == moved.pk
    body = message.get_payload(decode=True).decode()
    assert when_long(new_start, booking.client.timezone) in body
    moved.refresh_from_db()
    assert moved.status == "sent"


def test_worker_does_not_send_a_cancelled_bookings_reminders(celery_workers, smtp, clock):
    start = NOW + 3 * HOUR
    hooked, unhooked = book(start=start), book(start=start)
    cancel(hooked)
    cancel(unhooked, hook=False)
    clock.move_to(start - 2 * HOUR)
    run_due(celery_workers)
    assert smtp.messages == []
    statuses = Reminder.objects.filter(booking__in=[hooked, unhooked], kind="before-120")
    assert set(statuses.values_list("status", flat=True)) == {"cancelled"}


def test_worker_retries_after_a_failing_mail_server_then_sends(celery_workers, smtp, clock):
    [pk] = due_now(1)
    smtp.refuse = 1
    run_due(celery_workers)
    row = Reminder.objects.get(pk=pk)
    assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
    assert "451" in row.last_error
    assert smtp.messages == []
    # The workers' first retry delay is REMINDERS_RETRY_SECONDS=1, counted from the failure.
    clock.move_to(NOW + timedelta(milliseconds=999))
    run_due(celery_workers)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 1)  # still waiting
    clock.move_to(NOW + timedelta(seconds=1))
    run_due(celery_workers)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")
    assert len(smtp.for_reminder(pk)) == 1
