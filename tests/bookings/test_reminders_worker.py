"""Reminders on real Celery workers: two `celery worker` processes on Redis, the test database,
a real SMTP server (see tests/fixtures/workers.py). Runs in the PostgreSQL + Redis pass; skips
with the filesystem broker (the SQLite pass)."""

import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bookings.models import Reminder
from bookings.reminders_messages import when_long
from bookings.tasks_reminders import reminders_send_due_task
from tests.bookings.reminders_helpers import book, cancel, reschedule

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def now() -> datetime:
    return datetime.now(UTC)


def due_now(count: int) -> list[int]:
    """`count` 2 h reminders made due a minute ago (other kinds removed)."""
    ids = []
    for i in range(count):
        booking = book(start=now() + timedelta(hours=2, seconds=30 + i))
        Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
        ids.append(Reminder.objects.get(booking=booking).pk)
    Reminder.objects.filter(pk__in=ids).update(due_at=now() - timedelta(minutes=1))
    return ids


def sleep_until(moment: datetime) -> None:
    time.sleep(max((moment - now()).total_seconds(), 0) + 0.05)


def run_due(workers, task_id: str | None = None, times: int = 1) -> str:
    task_id = task_id or str(uuid.uuid4())
    for _ in range(times):
        workers.publish(reminders_send_due_task, task_id)
    workers.wait_done(task_id, times)
    return task_id


def test_worker_due_job_twice_at_once_sends_each_reminder_once(celery_workers, smtp):
    ids = due_now(10)
    smtp.delay = 0.1  # each run takes ~1 s: the two overlap
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    celery_workers.publish(reminders_send_due_task, first)
    celery_workers.publish(reminders_send_due_task, second)
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


def test_worker_redelivered_due_task_sends_nothing_twice(celery_workers, smtp):
    ids = due_now(3)
    smtp.delay = 0.1
    # The broker hands the same message out again (a lost ack): same task id, run again,
    # here once on each worker at the same time, then once more after both finished.
    task_id = run_due(celery_workers, times=2)
    run_due(celery_workers, task_id)
    sent = Counter(int(m["X-Tonic-Reminder"]) for m in smtp.messages)
    assert sent == dict.fromkeys(ids, 1)


def test_worker_sends_a_rescheduled_bookings_reminder_at_the_new_time(celery_workers, smtp):
    booking = book(start=now() + timedelta(days=3))
    run_due(celery_workers)
    assert smtp.messages == []
    new_start = now() + timedelta(hours=2, seconds=2)
    booking = reschedule(booking, new_start)
    moved = Reminder.objects.get(booking=booking, kind="before-120")
    assert moved.due_at == new_start - timedelta(hours=2)
    assert Reminder.objects.get(booking=booking, kind="before-1440").status == "skipped"
    sleep_until(moved.due_at)
    run_due(celery_workers)
    [message] = smtp.messages
    assert int(message["X-Tonic-Reminder"]) == moved.pk
    body = message.get_payload(decode=True).decode()
    assert when_long(new_start, booking.client.timezone) in body
    moved.refresh_from_db()
    assert moved.status == "sent"


def test_worker_does_not_send_a_cancelled_bookings_reminders(celery_workers, smtp):
    start = now() + timedelta(hours=2, seconds=2)
    hooked, unhooked = book(start=start), book(start=start)
    cancel(hooked)
    cancel(unhooked, hook=False)
    sleep_until(start - timedelta(hours=2))
    run_due(celery_workers)
    assert smtp.messages == []
    statuses = Reminder.objects.filter(booking__in=[hooked, unhooked], kind="before-120")
    assert set(statuses.values_list("status", flat=True)) == {"cancelled"}


def test_worker_retries_after_a_failing_mail_server_then_sends(celery_workers, smtp):
    [pk] = due_now(1)
    smtp.refuse = 1
    run_due(celery_workers)
    row = Reminder.objects.get(pk=pk)
    assert (row.status, row.attempts, row.sent_at) == ("pending", 1, None)
    assert "451" in row.last_error
    assert smtp.messages == []
    time.sleep(1.1)  # the workers' first retry delay (REMINDERS_RETRY_SECONDS=1)
    run_due(celery_workers)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")
    assert len(smtp.for_reminder(pk)) == 1
