"""Test workers and `make run` never share work (tests/fixtures/workers.py, pytest_configure).

With `make run` up in the same checkout, its worker (filesystem broker in var/celery, queue
`celery`) once ran a test's task against the development database. Each test run now has its
own queue and broker folder. These tests publish a real task the ordinary way (no queue named)
and look, without consuming anything, at where it waits: in the run's own queue or folder, and
not where a development worker reads. Then a test worker picks it up and runs it.
"""

import json
import os
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from bookings.models import Reminder
from bookings.reminders.tasks import reminders_send_due_task
from tests.bookings.reminders.helpers import book
from tests.fixtures.workers import BASE_DIR, subprocess_env

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CONFIG = """
import json
from studio.celery import app
from bookings.reminders.tasks import reminders_send_due_task
options = app.conf.broker_transport_options or {}
print(json.dumps({"queue": app.conf.task_default_queue, "folder": options.get("data_folder_in")}))
if task_id:
    reminders_send_due_task.apply_async(task_id=task_id)
"""


def celery_config(env: dict[str, str], task_id: str = "") -> dict:
    """The queue and broker folder a process started with `env` uses; publishes `task_id`."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\ntask_id = {task_id!r}\n{CONFIG}"],
        cwd=BASE_DIR,
        env={
            **env,
            "CELERY_BROKER_URL": "filesystem://",
            "DJANGO_SETTINGS_MODULE": "studio.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_run_env() -> dict[str, str]:
    """The environment `make run` has in this checkout: the shell's, without the test run's."""
    test_only = ("CELERY_TASK_DEFAULT_QUEUE", "CELERY_FILESYSTEM_FOLDER")
    return {k: v for k, v in os.environ.items() if k not in test_only and "PYTEST" not in k}


def ids_in_folder(folder: str | Path) -> set[str]:
    """Task ids of the messages waiting in a filesystem-broker folder (read, not consumed)."""
    found = set()
    for path in Path(folder).glob("*.msg"):
        try:
            found.add(json.loads(path.read_bytes())["headers"]["id"])
        except (OSError, ValueError, KeyError):
            continue  # taken by its worker while we looked
    return found


def ids_in_redis_queue(queue: str) -> set[str]:
    import redis

    with redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2) as client:
        return {json.loads(raw)["headers"]["id"] for raw in client.lrange(queue, 0, -1)}


def test_worker_processes_started_by_tests_use_the_runs_queue_and_folder(celery_isolation):
    make_run = celery_config(make_run_env())
    assert make_run == {"queue": "celery", "folder": str(BASE_DIR / "var" / "celery" / "out")}

    task_id = f"isolation-{uuid.uuid4()}"
    ours = celery_config(subprocess_env(), task_id)  # as a test's worker or script starts

    assert ours == {"queue": celery_isolation.queue, "folder": str(celery_isolation.folder / "out")}
    assert task_id in ids_in_folder(ours["folder"])
    assert task_id not in ids_in_folder(make_run["folder"])
    for path in Path(ours["folder"]).glob("*.msg"):  # nobody consumes it here
        path.unlink()


def test_a_task_a_test_queues_reaches_the_test_worker_not_make_runs(celery_isolation, request):
    from celery.contrib.testing.worker import start_worker

    from studio.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis"):
        request.getfixturevalue("redis_broker")  # answers, or the test skips (fails in CI)

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    booking = book(start=start)
    Reminder.objects.filter(booking=booking).exclude(kind="before-120").delete()
    now = start - timedelta(hours=2)  # the 2 h reminder's due time, injected

    app.conf.task_always_eager = False
    queued = reminders_send_due_task.apply_async(kwargs={"now": now.isoformat()})

    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert queued.id in ids_in_redis_queue(celery_isolation.queue)
        assert queued.id not in ids_in_redis_queue("celery")  # what a dev worker on it reads
    else:
        assert queued.id in ids_in_folder(celery_isolation.folder / "out")
        assert queued.id not in ids_in_folder(BASE_DIR / "var" / "celery" / "out")

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert wait_until(lambda: Reminder.objects.get(booking=booking).status == "sent")
    [message] = mail.outbox
    assert booking.client.user.email in message.to


def wait_until(check, timeout: float = 30) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False
