"""E-mail goes out through Celery tasks that retry; the enquiry is stored first regardless.

The flaky SMTP server is real (loopback): its first MAIL FROM answers 451, so Django's real SMTP
backend raises and the task's autoretry kicks in."""

import email
import email.policy
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accounts.models import Enquiry
from studio.celery import app as celery_app
from tests.accounts.conftest import enquiry_payload
from tests.conftest import require
from tests.fixtures.workers import database_url

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def subject(raw: str) -> str:
    return email.message_from_string(raw, policy=email.policy.default)["Subject"]


@pytest.fixture
def like_a_worker():
    """Eager tasks, but a failure is handled as a worker would (retry) instead of raised."""
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


def test_enquiry_notification_is_retried_after_a_failing_first_send(
    api, flaky_smtp, like_a_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/enquiries/", enquiry_payload(), format="json")

    assert response.status_code == 201
    enquiry = Enquiry.objects.get(pk=response.json()["id"])
    # The studio notification was refused once (451) and delivered on the retry; then the
    # acknowledgement went out: three attempts, two messages, nothing sent twice.
    assert flaky_smtp.attempts == 3
    assert len(flaky_smtp.messages) == 2
    subjects = sorted(subject(m) for m in flaky_smtp.messages)
    assert subjects == ["New enquiry · Pilates Tonic", "We received your message · Pilates Tonic"]
    assert enquiry.notified_at is not None and enquiry.acknowledged_at is not None


def test_enquiry_is_stored_even_when_email_keeps_failing(
    api, flaky_smtp, like_a_worker, django_capture_on_commit_callbacks
):
    flaky_smtp.failures_left = 10**6  # the mail server is down for good
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.post("/api/enquiries/", enquiry_payload(), format="json")

    assert response.status_code == 201
    assert flaky_smtp.attempts == 0  # nothing is sent inside the request's transaction
    assert len(callbacks) == 2  # notify the studio + acknowledge, queued for after commit
    callbacks[0]()
    assert flaky_smtp.attempts == 9  # the first try and 8 retries, then it gives up
    assert Enquiry.objects.filter(pk=response.json()["id"], notified_at=None).exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_enquiry_notification_retry_on_a_real_worker(api, flaky_smtp, settings, tmp_path):
    """A real `celery worker` process on the configured broker retries the refused send."""
    celery = Path(sys.executable).with_name("celery")
    require("Celery worker", celery.exists(), "the celery command is not installed")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"smtp://{flaky_smtp.server_address[0]}:{flaky_smtp.server_address[1]}",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "DJANGO_SETTINGS_MODULE": "studio.settings",
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
        while time.monotonic() < deadline and len(flaky_smtp.messages) < 2:
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.close()
    worker_log = (tmp_path / "worker.log").read_text()
    assert len(flaky_smtp.messages) == 2, worker_log[-3000:]
    assert flaky_smtp.attempts == 3
    assert "Retry in" in worker_log
    enquiry.refresh_from_db()
    assert enquiry.notified_at is not None and enquiry.acknowledged_at is not None
