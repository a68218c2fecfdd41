"""E-mail goes out through the outbox: stored with the enquiry, retried by the sweeper.

The flaky SMTP server is real (loopback): its first MAIL FROM answers 451, so Django's real SMTP
backend raises and the outbox row waits for the sweeper's retry."""

import email
import email.policy
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Enquiry
from studio.kernel.outbox import outbox_retry, outbox_sweep
from studio.models import OutboxMessage
from tests.accounts.conftest import enquiry_payload
from tests.conftest import require
from tests.fixtures.workers import database_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def subject(raw: str) -> str:
    return email.message_from_string(raw, policy=email.policy.default)["Subject"]


def test_enquiry_notification_is_retried_by_the_sweeper_after_a_failing_first_send(
    api, flaky_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/enquiries/", enquiry_payload(), format="json")

    assert response.status_code == 201
    enquiry = Enquiry.objects.get(pk=response.json()["id"])
    notify = OutboxMessage.objects.get(kind="enquiry_notify_studio")
    # The studio notification was refused (451) and waits for its retry; the thank-you went.
    assert (notify.status, notify.attempts) == ("retrying", 1)
    assert "451" in notify.last_error
    assert [subject(m) for m in flaky_smtp.messages] == ["We received your message · Pilates Tonic"]

    assert outbox_sweep()["delivered"] == 0  # not due yet: backoff
    later = notify.next_attempt_at + timedelta(seconds=1)
    assert outbox_sweep(now=later)["delivered"] == 1
    assert outbox_sweep(now=later + timedelta(hours=1))["due"] == 0

    # Three attempts, two messages, nothing sent twice.
    assert flaky_smtp.attempts == 3
    assert sorted(subject(m) for m in flaky_smtp.messages) == [
        "New enquiry · Pilates Tonic",
        "We received your message · Pilates Tonic",
    ]
    enquiry.refresh_from_db()
    assert enquiry.notified_at is not None and enquiry.acknowledged_at is not None
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}


def test_enquiry_email_that_keeps_failing_stays_failed_in_the_outbox_until_retried(
    api, flaky_smtp, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    flaky_smtp.failures_left = 10**6  # the mail server is down
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post("/api/enquiries/", enquiry_payload(), format="json")

    assert response.status_code == 201
    assert flaky_smtp.attempts == 0  # nothing is sent inside the request's transaction
    assert OutboxMessage.objects.filter(status="pending").count() == 2  # stored with it
    for callback in callbacks:
        callback()
    now = timezone.now()
    for _ in range(5):  # more sweeps than attempts allowed
        now += timedelta(hours=2)
        outbox_sweep(now=now)

    rows = OutboxMessage.objects.order_by("pk")
    assert [(r.status, r.attempts) for r in rows] == [("failed", 3), ("failed", 3)]
    assert flaky_smtp.attempts == 6
    assert Enquiry.objects.filter(pk=response.json()["id"], notified_at=None).exists()

    flaky_smtp.failures_left = 0  # the mail server is back; the owner retries from the admin
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_retry(message_ids=[r.pk for r in rows]) == 2

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}
    assert len(flaky_smtp.messages) == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_enquiry_notification_retry_on_a_real_worker(api, flaky_smtp, settings, tmp_path):
    """A real `celery worker` process on the configured broker sends the enquiry's e-mails and
    retries the refused one when beat's sweep task arrives."""
    from studio.tasks import outbox_sweep_task

    celery = Path(sys.executable).with_name("celery")
    require("Celery worker", celery.exists(), "the celery command is not installed")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://{flaky_smtp.server_address[0]}:{flaky_smtp.server_address[1]}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
        "OUTBOX_RETRY_SECONDS": "0",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "studio",
            "worker",
            "--pool=solo",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        response = api.post("/api/enquiries/", enquiry_payload(), format="json")
        assert response.status_code == 201
        enquiry = Enquiry.objects.get(pk=response.json()["id"])  # stored before any send
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and not (
            len(flaky_smtp.messages) == 1 and OutboxMessage.objects.filter(status="retrying")
        ):
            time.sleep(0.2)
        outbox_sweep_task.delay()  # what beat sends; OUTBOX_RETRY_SECONDS=0: due at once
        while time.monotonic() < deadline and len(flaky_smtp.messages) < 2:
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert len(flaky_smtp.messages) == 2, worker_log[-3000:]
    assert flaky_smtp.attempts == 3
    rows = OutboxMessage.objects.all()
    assert {r.status for r in rows} == {"done"}
    assert sorted(r.attempts for r in rows) == [1, 2]  # the refused one was tried again once
    enquiry.refresh_from_db()
    assert enquiry.notified_at is not None and enquiry.acknowledged_at is not None
