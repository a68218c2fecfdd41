"""(f) Booking creation (POST /api/bookings/, anonymous with name and e-mail) from 50 concurrent
clients on gunicorn: mostly distinct slots, some contended (ten clients per hot slot). Then the
database is checked: every slot held by at most one booking, no overlap per specialist."""

import json
import random
from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from tests.bench import data
from tests.bench.report import Row, scale
from tests.bench.server import gunicorn, run_jobs

CLIENTS, SPECIALISTS, WORKERS = 50, 10, 4
CONTENDERS = 10  # clients racing for each hot slot


def _slots(specialists, count: int):
    """`count` distinct (specialist id, start) pairs: half-hour slots 08:00-19:30 from tomorrow."""
    zone = ZoneInfo(data.ZONE)
    first = data.first_day()
    out = []
    for day in range(90):
        for half_hour in range(24):
            for spec in specialists:
                start = datetime.combine(first + timedelta(days=day), clock(8), tzinfo=zone)
                out.append((spec.pk, start + timedelta(minutes=30 * half_hour)))
                if len(out) == count:
                    return out
    return out


def _double_bookings() -> int:
    """Pairs of live bookings of one specialist whose blocked times overlap."""
    from bookings.models import Booking

    rows = Booking.objects.filter(status__in=Booking.BLOCKING).order_by(
        "specialist_id", "blocked_start"
    )
    clashes, last = 0, {}
    for sid, b_start, b_end in rows.values_list("specialist_id", "blocked_start", "blocked_end"):
        if sid in last and b_start < last[sid]:
            clashes += 1
        last[sid] = max(last.get(sid, b_end), b_end)
    return clashes


def main() -> list[Row]:
    from bookings.models import Booking

    data.studio()
    specs, service = data.specialists(SPECIALISTS)
    total = scale(600, 200)
    hot = total // 10 // CONTENDERS  # 10% of requests race for `hot` slots
    slots = _slots(specs, total - hot * CONTENDERS + hot)
    wanted = slots + slots[:hot] * (CONTENDERS - 1)
    random.Random(9).shuffle(wanted)
    with gunicorn(workers=WORKERS) as port:
        jobs = [
            (
                port,
                "POST",
                "/api/bookings/",
                json.dumps(
                    {
                        "service": service.slug,
                        "specialist": sid,
                        "start": start.isoformat(),
                        "name": f"Racer {i}",
                        "email": f"racer{i}@bench.test",
                    }
                ),
                {"Content-Type": "application/json"},
            )
            for i, (sid, start) in enumerate(wanted)
        ]
        load = run_jobs(jobs, threads=CLIENTS, max_seconds=120)
    made = Booking.objects.filter(status__in=Booking.BLOCKING).count()
    clashes = _double_bookings()
    created, refused = load.statuses.get(201, 0), load.statuses.get(409, 0)
    others = {s: c for s, c in load.statuses.items() if s not in (201, 409)}
    assert not others, f"unexpected statuses {others}: {load.results[:3]}"
    assert created == made == len(slots), (created, made, len(slots))
    return [
        Row(
            "f",
            f"POST /api/bookings/ {CLIENTS} concurrent clients, gunicorn {WORKERS} workers, "
            f"{load.requests} requests ({hot} slots x {CONTENDERS} racers)",
            f"{load.rps:.0f} req/s, p50 {load.pct(0.5):.0f} ms, p95 {load.pct(0.95):.0f} ms; "
            f"{created} created, {refused} refused (409)",
        ),
        Row("f", "double bookings in the database afterwards", str(clashes), "0", clashes == 0),
    ]
