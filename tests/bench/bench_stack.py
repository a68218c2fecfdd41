"""(h) The production stack under a busy studio's load: deploy/stack-up (gunicorn with
deploy/gunicorn.conf.py and 2 workers, a Celery worker and beat, Redis, the bench's database
engine), then open-loop steps of availability reads (next four weeks, 2 specialists, 5 zones:
10 questions) at 60, 120, 240 and 480 a second, each with 3 guest bookings a second on distinct
free slots. Per step: read p50/p95 (from when each request was due, so a stalled server counts
in full), the share answered from the cache, booking p95 and any failure. Afterwards the
database is read: every booking answered 201 is there once, and no two of a specialist's live
bookings overlap.

Needs a Redis CELERY_BROKER_URL (the stack's broker and its database number). The stack's
database is its own: `<bench database>_stack` on PostgreSQL (dropped at the end), or
var/bench/stack.sqlite3. The port comes from TEST_PORT_RANGE when set."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.bench import busy, db
from tests.bench.report import Row, scale
from tests.bench.server import _free_port, open_loop, percentile

ROOT = Path(__file__).resolve().parents[2]
RUN_DIR = ROOT / "var" / "bench" / "stack"
STEPS = (60, 120, 240, 480)
BOOKINGS_PER_SECOND = 3
P95_LIMIT_MS = 150

SETUP = """
import json
import django
django.setup()
from tests.bench import data
data.studio()
specialists, service = data.specialists(2)
clients = data.clients(20)
for specialist in specialists:
    data.bookings(specialist, service, clients, 100)
print(json.dumps({"service": service.slug, "ids": [s.pk for s in specialists],
                  "first": data.first_day().isoformat(), "zone": data.ZONE}))
"""

INTEGRITY = """
import json
import django
django.setup()
from bookings.models import Booking
live = Booking.objects.filter(status__in=Booking.BLOCKING)
made = live.filter(client__user__email__endswith="@load.bench.test").count()
overlaps, last = 0, {}
for specialist, start, end in live.order_by("specialist", "blocked_start").values_list(
    "specialist", "blocked_start", "blocked_end"
):
    if specialist in last and start < last[specialist]:
        overlaps += 1
    last[specialist] = max(end, last.get(specialist, end))
print(json.dumps({"made": made, "overlaps": overlaps}))
"""


def _stack_database() -> str:
    bench = os.environ["DATABASE_URL"]
    if bench.startswith("postgres"):
        parts = urlsplit(bench)
        return urlunsplit(parts._replace(path=parts.path + "_stack"))
    return f"sqlite:///{RUN_DIR / 'stack.sqlite3'}"


def _django(script: str) -> dict:
    """Run a script with the stack's own settings (its env file); returns its JSON line."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    for line in (RUN_DIR / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    env["DJANGO_SETTINGS_MODULE"] = "studio.settings"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _step(port: int, setup: dict, rate: int, seconds: float, slots: list) -> dict:
    paths = busy.questions(setup["service"], setup["ids"], _date(setup["first"]))
    reads = busy.reads(paths, rate=rate, seconds=seconds, seed=rate)
    bookings = busy.bookings(
        setup["service"], slots, every=1 / BOOKINGS_PER_SECOND, seconds=seconds
    )
    open_loop(port, reads + bookings, threads=128)
    return {
        "rate": rate,
        "reads": len(reads),
        "p50": percentile([r.latency for r in reads], 0.5),
        "p95": percentile([r.latency for r in reads], 0.95),
        "hits": sum(r.cache_status == "tonic; hit" for r in reads) / len(reads),
        "read_errors": sum(r.status != 200 for r in reads),
        "made": sum(b.status == 201 for b in bookings),
        "booking_errors": sum(b.status not in (201, 409) for b in bookings),
        "booking_p95": percentile([b.latency for b in bookings], 0.95),
        "bookings": len(bookings),
    }


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def main() -> list[Row]:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        return [Row("h", "production stack under load", "skipped: needs a Redis CELERY_BROKER_URL")]
    database, port = _stack_database(), _free_port()
    env = {
        **os.environ,
        "STACK_DATABASE_URL": database,
        "STACK_BROKER_URL": broker,
        "STACK_WEB_WORKERS": "2",
        "RATE_LIMITS": "off",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    up = [str(ROOT / "deploy" / "stack-up"), "--fresh", "--port", str(port)]
    subprocess.run([*up, "--run-dir", str(RUN_DIR)], cwd=ROOT, env=env, check=True)
    try:
        setup = _django(SETUP)
        slots = busy.free_starts(setup["ids"], _date(setup["first"]), setup["zone"])
        seconds = scale(20, 6)
        # Warm up, unmeasured: the just-started workers, the Celery worker's own start-up.
        warm = _step(port, setup, 20, 5, slots)
        results = []
        for rate in STEPS:
            results.append(_step(port, setup, rate, seconds, slots))
            time.sleep(2)
        integrity = _django(INTEGRITY)
    finally:
        subprocess.run(
            [str(ROOT / "deploy" / "stack-down"), "--run-dir", str(RUN_DIR)], cwd=ROOT, env=env
        )
        if database.startswith("postgres"):
            name = urlsplit(database).path.lstrip("/")
            db._admin(database, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return _rows(results, integrity, seconds, warm["made"])


def _rows(results: list[dict], integrity: dict, seconds: float, warm_made: int) -> list[Row]:
    rows = []
    for r in results:
        ok = r["p95"] < P95_LIMIT_MS and not r["read_errors"] and not r["booking_errors"]
        rows.append(
            Row(
                "h",
                f"stack-up, {r['rate']} reads/s + {BOOKINGS_PER_SECOND} bookings/s, {seconds} s",
                f"read p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, {r['hits']:.0%} cached, "
                f"{r['read_errors']} failed; bookings {r['made']}/{r['bookings']} made, "
                f"p95 {r['booking_p95']:.0f} ms, {r['booking_errors']} failed",
                f"p95 < {P95_LIMIT_MS} ms" if r["rate"] <= 240 else "",
                ok if r["rate"] <= 240 else None,
            )
        )
    broke = next((r["rate"] for r in results if r["p95"] >= P95_LIMIT_MS), None)
    made = warm_made + sum(r["made"] for r in results)
    rows.append(
        Row(
            "h",
            "stack: where p95 passes 150 ms; bookings in the database afterwards",
            f"{'breaks at ' + str(broke) + ' reads/s' if broke else 'holds through 480 reads/s'}; "
            f"{integrity['made']} of {made} made found, {integrity['overlaps']} overlaps",
            "0 overlaps, all found",
            integrity["overlaps"] == 0 and integrity["made"] == made,
        )
    )
    return rows
