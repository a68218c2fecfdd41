"""(g) A busy hour: visitors read availability while bookings flow, and the share of reads
answered from the availability cache is reported.

gunicorn with deploy/gunicorn.conf.py (2 sync workers), the cache as configured
(AVAILABILITY_CACHE_SECONDS 60). Four specialists open 08:00-20:00 every day with 100 bookings
each; 10 reads a second (Poisson arrivals, open loop) of the next four weeks of one specialist
in one of five zones (20 distinct questions); a guest booking every 30 seconds, round-robin
over the specialists, each on a free slot of those weeks. In real time, so the cache's maximum
age counts as it does in production."""

from tests.bench import busy, data
from tests.bench.report import Row, scale
from tests.bench.server import WORKERS, gunicorn, open_loop, percentile

SPECIALISTS = 4
READS_PER_SECOND = 10
BOOKING_EVERY = 30


def main() -> list[Row]:
    data.studio()
    specialists, service = data.specialists(SPECIALISTS)
    clients = data.clients(20)
    for specialist in specialists:
        data.bookings(specialist, service, clients, 100)
    ids, first = [s.pk for s in specialists], data.first_day()
    seconds = scale(180, 45)
    paths = busy.questions(service.slug, ids, first)
    slots = _round_robin(busy.free_starts(ids, first, data.ZONE), ids)
    reads = busy.reads(paths, rate=READS_PER_SECOND, seconds=seconds)
    bookings = busy.bookings(
        service.slug, slots, every=BOOKING_EVERY, seconds=seconds, offset=BOOKING_EVERY / 2
    )
    with gunicorn() as port:
        open_loop(port, reads + bookings)
    hits = sum(r.cache_status == "tonic; hit" for r in reads) / len(reads)
    failed = [r.status for r in reads if r.status != 200]
    made = sum(b.status == 201 for b in bookings)
    return [
        Row(
            "g",
            f"busy hour: {READS_PER_SECOND} reads/s ({len(paths)} questions: {SPECIALISTS} "
            f"specialists x 5 zones, next 4 weeks), a booking every {BOOKING_EVERY} s, "
            f"{seconds} s, gunicorn {WORKERS} workers",
            f"{hits:.1%} of {len(reads)} reads from the cache; read p50 "
            f"{percentile([r.latency for r in reads], 0.5):.0f} ms, p95 "
            f"{percentile([r.latency for r in reads], 0.95):.0f} ms; {made}/{len(bookings)} "
            f"bookings made; {len(failed)} failed reads",
            ">= 90%",
            hits >= 0.9 and not failed and made == len(bookings),
        )
    ]


def _round_robin(slots: list[tuple], ids: list[int]) -> list[tuple]:
    """The slots reordered so that popping them from the end takes each specialist in turn."""
    by_specialist = {pk: [slot for slot in slots if slot[0] == pk] for pk in ids}
    turns = [queue.pop() for _ in range(len(slots) // len(ids)) for queue in by_specialist.values()]
    return turns[::-1]
