"""`make run`'s background half as it is: honcho starts the Procfile's `worker` and `beat`
(filesystem broker in a folder of the test's own, no Redis, console e-mail) against the test
database. Beat installs the schedule from settings (the due job every
REMINDERS_DUE_EVERY_SECONDS, 1 s here instead of 60) and the worker prints the demo client's
reminder on the console, once.

Beat and worker read the real clock, so the test sets no deadline on it: the reminder is made
due a minute ago (its grace is an hour), and "nothing is sent again" is checked after two more
runs of the due job, counted in the worker's log, not after a sleep."""

import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import ClientProfile, SpecialistProfile
from bookings.models import Reminder
from tests.factories import BookingFactory
from tests.fixtures.workers import BASE_DIR, stop, subprocess_env

pytestmark = pytest.mark.django_db(transaction=True)
SUBJECT = "E-mail to client@example.com: Reminder: your session at Pilates Tonic"


def wait_for(check, output, honcho, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        assert honcho.poll() is None, output.read_text()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"{what}; console:\n{output.read_text()[-4000:]}")


def test_make_run_worker_and_beat_print_a_due_demo_reminder_once(demo, tmp_path):
    env = subprocess_env(
        DEBUG="true",
        CELERY_BROKER_URL="filesystem://",
        CELERY_FILESYSTEM_FOLDER=str(tmp_path / "celery"),
        EMAIL_URL="consolemail://",
        REMINDERS_DUE_EVERY_SECONDS="1",
        TASK_LOG_LEVEL="INFO",  # the job's "succeeded" lines, quiet by default, are watched here
    )
    env.pop("CI", None)
    output = tmp_path / "honcho.log"
    with output.open("w") as out:
        honcho = subprocess.Popen(
            [str(BASE_DIR / ".venv" / "bin" / "honcho"), "start", "worker", "beat"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: "reminders_send_due_task" in output.read_text()
            and "] succeeded in" in output.read_text(),
            output, honcho, "beat and worker never ran the due job",
        )  # fmt: skip
        # A demo booking made directly (as the admin or an import would), days ahead and at
        # night in New York (clear of the demo's own sessions): the due job's backfill
        # schedules its reminders.
        start = (datetime.now(UTC) + timedelta(days=3)).replace(
            hour=3, minute=0, second=0, microsecond=0
        )
        booking = BookingFactory(
            client=ClientProfile.objects.get(user__email="client@example.com"),
            specialist=SpecialistProfile.objects.get(user__email="sydney@example.com"),
            start=start,
        )
        two_hours = Reminder.objects.filter(booking=booking, kind="before-120")
        wait_for(
            lambda: two_hours.filter(status="pending").exists(),
            output, honcho, "the due job did not schedule the booking's reminders",
        )  # fmt: skip
        # Its time has come (a minute ago, well inside its grace of an hour).
        two_hours.update(due_at=datetime.now(UTC) - timedelta(minutes=1))
        wait_for(
            lambda: SUBJECT in output.read_text() and two_hours.filter(status="sent").exists(),
            output, honcho, "no reminder on the console",
        )  # fmt: skip
        runs = due_job_runs(output)
        wait_for(
            lambda: due_job_runs(output) >= runs + 2,
            output, honcho, "the due job did not run twice more",
        )  # fmt: skip
    finally:
        stop(honcho)
    console = output.read_text()
    assert console.count(SUBJECT) == 1  # not again in the later runs
    assert "Hello Hannah," in console
    assert f"/bookings/manage/{booking.manage_token}/" in console
    assert Reminder.objects.get(booking=booking, kind="before-1440").status == "pending"


def due_job_runs(output) -> int:
    """How many runs of the due job the worker has finished, by its log."""
    return sum(
        1
        for line in output.read_text().splitlines()
        if "reminders_send_due_task[" in line and "] succeeded in" in line
    )
