"""The outbox (studio/kernel/outbox.py): rows owed by committed changes are delivered once, by the
worker or by beat's periodic sweep, whatever the broker lost on the way."""

import os
import signal
import subprocess
import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from accounts.models import Enquiry
from studio.kernel import outbox
from studio.kernel.outbox import LEASE, outbox_add, outbox_add_many, outbox_deliver, outbox_sweep
from studio.models import OutboxMessage
from studio.tasks import outbox_deliver_task, outbox_sweep_task
from tests.fixtures.listeners import SilentListener
from tests.fixtures.workers import BASE_DIR, stop, subprocess_env


def lost_row(n: int = 0) -> OutboxMessage:
    """An enquiry's thank-you owed in the outbox whose queued delivery the broker lost."""
    enquiry = Enquiry.objects.create(
        name=f"Ena {n}", email=f"ena{n}@example.org", message="Knees.", consent=True
    )
    return OutboxMessage.objects.create(
        kind="enquiry_acknowledge",
        payload={"enquiry_id": enquiry.pk},
        about=f"enquiry:{enquiry.pk}",
        next_attempt_at=timezone.now(),
    )


@pytest.mark.django_db
def test_outbox_add_with_a_key_owes_the_side_effect_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = outbox_add(kind="payment_refund", payload={"payment_id": 1}, key="tonic-k")
        again = outbox_add(kind="payment_refund", payload={"payment_id": 1}, key="tonic-k")

    assert again.pk == first.pk
    assert OutboxMessage.objects.count() == 1 and len(callbacks) == 1


@pytest.mark.django_db
def test_a_refusal_fails_at_once_and_a_crash_is_retried(monkeypatch):
    from studio.kernel.errors import Conflict

    def refuse(**payload):
        raise Conflict("Stripe refused the refund: charge disputed.")

    def crash(**payload):
        raise ConnectionResetError("peer went away")

    monkeypatch.setitem(outbox.HANDLERS, "refused", outbox.Handler(refuse, "Refused"))
    monkeypatch.setitem(outbox.HANDLERS, "crashing", outbox.Handler(crash, "Crashing"))
    refused = OutboxMessage.objects.create(kind="refused", next_attempt_at=timezone.now())
    crashing = OutboxMessage.objects.create(kind="crashing", next_attempt_at=timezone.now())

    outbox_sweep()

    refused.refresh_from_db()
    crashing.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", 1)
    assert "charge disputed" in refused.last_error
    assert (crashing.status, crashing.attempts) == ("retrying", 1)
    assert crashing.next_attempt_at > timezone.now()


@pytest.mark.parametrize("guard", [False, True], ids=["claim-off", "claim-on"])
@pytest.mark.django_db(transaction=True)
def test_a_row_swept_twice_at_once_is_delivered_once(guard, smtp, monkeypatch):
    """Two sweeps (two workers, or beat's run and a late one) reach the same row together.

    With the claim switched off (every row counts as due and claimable) both send it, so the
    test sees the race; with the claim, one sends and the other finds nothing to do."""
    if not guard:
        from django.db.models import Q

        monkeypatch.setattr(outbox, "_due", lambda now: Q(pk__isnull=False))
    row = lost_row()
    smtp.delay = 1.0  # the first send is still in flight when the second sweep looks
    barrier = threading.Barrier(2)
    results: list[dict] = []

    def sweep() -> None:
        try:
            barrier.wait(10)
            results.append(outbox_sweep())
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(results) == 2
    sent = len(smtp.messages)
    if not guard:
        assert sent == 2  # the race is real: without the claim it is sent twice
        return
    assert sent == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 1)
    assert sorted(r["delivered"] for r in results) == [0, 1]


def test_the_sweeper_is_scheduled_by_beat_every_minute(transactional_db, settings):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from studio.celery import app

    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["task"] == outbox_sweep_task.name
    DatabaseScheduler(app=app)  # what `celery beat` does at start (make run's Procfile, deploy/)

    task = PeriodicTask.objects.get(task=outbox_sweep_task.name)
    assert (task.interval.every, task.interval.period) == (60, "seconds")
    assert task.enabled


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_drains_the_outbox_with_the_beat_task(celery_workers, smtp):
    rows = [lost_row(n) for n in range(3)]

    result = celery_workers.publish(outbox_sweep_task)  # as beat sends it
    celery_workers.wait_done(result.id)

    assert len(smtp.wait_for(3)) == 3
    statuses = OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("status")
    assert set(statuses) == {("done",)}
    assert sorted(m["To"] for m in smtp.messages) == [f"ena{n}@example.org" for n in range(3)]


@pytest.mark.django_db
def test_the_rows_of_one_outbox_add_many_are_one_delivery_job(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = outbox_add_many(
            kind="enquiry_acknowledge", payloads=[{"enquiry_id": 1}, {"enquiry_id": 2}]
        )

    assert len(rows) == 2 and OutboxMessage.objects.count() == 2
    assert len(callbacks) == 1  # one publish to the broker, not one per row


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_every_row_of_one_job(celery_workers, smtp):
    rows = [lost_row(n) for n in range(2)]

    job = outbox_deliver_task.apply_async(
        args=[row.pk for row in rows], queue=celery_workers.queue, task_id=str(uuid.uuid4())
    )
    celery_workers.wait_done(job.id)

    assert sorted(m["To"] for m in smtp.wait_for(2)) == ["ena0@example.org", "ena1@example.org"]
    statuses = OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).values_list("status")
    assert set(statuses) == {("done",)}


def _wait(check, what: str, log, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what}:\n{log.read_text()[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_a_delivery_lost_with_a_hard_killed_embedded_worker_is_sent_by_the_sweep(tmp_path):
    """`make run`'s filesystem broker keeps no copy of a task a worker has taken: SIGKILL the
    worker mid-delivery and the task is gone. The row it claimed is still owed, and the sweep
    delivers it once its lease has run out."""
    hung_smtp = SilentListener()  # the worker's e-mail hangs, so it is killed mid-delivery
    folder = tmp_path / "celery"
    queue = f"tonic-test-outbox-{os.getpid()}"
    env = subprocess_env(
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_FOLDER=str(folder),
        EMAIL_URL=f"smtp://127.0.0.1:{hung_smtp.port}",
        EMAIL_TIMEOUT="300",
    )
    celery = str(BASE_DIR / ".venv" / "bin" / "celery")
    log = tmp_path / "worker.log"
    row = lost_row()
    with log.open("w") as out:
        worker = subprocess.Popen(
            [celery, "-A", "studio", "worker", "--pool=solo", "-Q", queue, "-l", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        _wait(lambda: " ready." in log.read_text(), "the worker did not start", log)
        subprocess.run(
            [celery, "-A", "studio", "call", outbox_deliver_task.name,
             "--args", f"[{row.pk}]", "--queue", queue],
            cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        _wait(
            lambda: (
                hung_smtp.accepted.is_set()
                and OutboxMessage.objects.filter(pk=row.pk, status="sending").exists()
            ),
            "the worker never started the delivery",
            log,
        )
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        stop(worker)
        hung_smtp.hang_up()

    assert list((folder / "out").iterdir()) == []  # the broker kept nothing to redeliver
    assert outbox_sweep()["delivered"] == 0  # the lease protects a delivery still under way
    assert mail.outbox == []

    assert outbox_sweep(now=timezone.now() + LEASE + timedelta(seconds=1))["delivered"] == 1

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 2)
    assert [m.to for m in mail.outbox] == [["ena0@example.org"]]
    assert outbox_deliver(row.pk) is False  # done is done
