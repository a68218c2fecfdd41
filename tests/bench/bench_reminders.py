"""(e) Reminder dispatch: 10,000 due reminders sent by one real Celery worker process
(`--pool=solo`) on the configured broker (Redis when CELERY_BROKER_URL says so, else the
filesystem transport), e-mail through Django's locmem backend (no network). The jobs are the
production ones: reminders_send_due_task, each sending one batch of 200. Throughput counts from
the first claim to the last row marked `sent`, so worker start-up is not in it."""

import os
import subprocess
import sys
import time
from datetime import timedelta

from tests.bench import data
from tests.bench.db import VAR
from tests.bench.report import Row, scale
from tests.bench.server import BASE

SPECIALISTS = 10


def _due_reminders(total: int) -> None:
    from django.utils import timezone

    from bookings.models import Reminder

    data.studio()
    specs, service = data.specialists(SPECIALISTS)
    people = data.clients(200)
    bookings = []
    for spec in specs:  # two reminders per booking
        bookings += data.bookings(spec, service, people, total // 2 // SPECIALISTS)
    due = timezone.now() - timedelta(seconds=30)
    Reminder.objects.bulk_create(
        (
            Reminder(booking=b, kind=kind, due_at=due)
            for b in bookings
            for kind in ("before-1440", "before-120")
        ),
        batch_size=1000,
    )


def _worker():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "bench-only", "LOG_LEVEL": "INFO"}
    celery = str(sys.executable).replace("/python", "/celery")
    log = open(VAR / "worker.log", "w")  # noqa: SIM115  closed with the process
    proc = subprocess.Popen(
        [celery, "-A", "studio", "worker", "--pool=solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "-Q", "celery", "--loglevel=WARNING"],
        cwd=BASE, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return proc, log


def main() -> list[Row]:
    from django.db.models import Max, Min

    from bookings.models import Reminder
    from bookings.reminders.services import BATCH
    from bookings.reminders.tasks import reminders_send_due_task
    from studio.celery import app

    total = scale(10_000, 2_000)
    _due_reminders(total)
    app.control.purge()  # tasks queued by earlier benchmarks point at rows flushed since
    broker = app.connection().transport_cls
    began = time.perf_counter()
    for _ in range(total // BATCH + 2):
        reminders_send_due_task.delay()
    proc, log = _worker()
    try:
        sent = Reminder.objects.filter(status=Reminder.Status.SENT)
        deadline = time.monotonic() + scale(150, 60)  # keeps a slow run bounded
        while sent.count() < total and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.5)
        wall = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        app.control.purge()
    done = sent.count()
    assert done, "nothing sent; see var/bench/worker.log"
    span = sent.aggregate(first=Min("sent_at"), last=Max("updated"))
    seconds = (span["last"] - span["first"]).total_seconds()
    rate = done / seconds
    missing = "" if done == total else f"; ONLY {done:,} SENT in {wall:.0f} s"
    return [
        Row(
            "e",
            f"{total:,} due reminders, 1 Celery worker (solo pool), broker {broker}, locmem e-mail",
            f"{rate:.0f} sent/s ({seconds:.1f} s sending; {wall:.1f} s with worker start){missing}",
            ">= 500/s per worker",
            rate >= 500 and done == total,
        )
    ]
