"""The calendar jobs on a real Celery worker (the broker the environment names: Redis in CI's
PostgreSQL run, the filesystem queue otherwise) pushing to a real Radicale server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from bookings.calendars.connections import calendar_connection_create
from bookings.models import CalendarConnection
from tests.bookings.calendars import helpers as h
from tests.fixtures.workers import database_url

pytestmark = [pytest.mark.redis, pytest.mark.caldav, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def calendar_worker(tmp_path):
    """A `celery worker` subprocess on the test database; stopped after the test."""
    from tests.conftest import require

    if settings.CELERY_BROKER_URL.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
            up = True
        except redis.RedisError:
            up = False
        require("Redis", up, settings.CELERY_BROKER_URL)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "URLLIB3_NO_OVERRIDE": "1",
        "CALENDAR_ALLOW_PRIVATE_HOSTS": "1",  # Radicale listens on 127.0.0.1
    }
    log = (tmp_path / "worker.log").open("w")
    command = [sys.executable, "-m", "celery", "-A", "studio", "worker", "--pool=solo"]
    command += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def wait_for(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError("timed out waiting for the worker")


def test_calendar_jobs_push_and_remove_a_booking_on_a_real_worker(
    calendar_worker, radicale_calendar
):
    server, calendar = radicale_calendar
    sydney = h.specialist()
    connection = calendar_connection_create(
        specialist=sydney,
        kind="caldav",
        url=str(calendar.url),
        username=server.username,
        password=server.password,
    )
    wait_for(lambda: CalendarConnection.objects.get(pk=connection.pk).last_success_at)

    b = h.booking(specialist=sydney)  # the hook queues the push when the booking commits
    wait_for(lambda: b.uid in h.remote_events(calendar))
    assert h.remote_events(calendar)[b.uid]["SEQUENCE"] == 0

    h.cancel(b)
    wait_for(lambda: b.uid not in h.remote_events(calendar))
    assert calendar_worker.poll() is None  # the worker is still running
