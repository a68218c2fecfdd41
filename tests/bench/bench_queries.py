"""(d) SQL queries per request of the main list endpoints, as the owner, at 10 and at 1,000
rows of everything (`?limit=1000`: every row serialized). Flat means the same count at both."""

from tests.bench import data, db
from tests.bench.report import Row

ENDPOINTS = [
    "/api/bookings/",
    "/api/clients/",
    "/api/enquiries/",
    "/api/programs/",
    "/api/exercises/",
    "/api/services/",
    "/api/specialists/",
]
SIZES = (10, 1000)


def _populate(n: int) -> dict:
    from accounts.models import Enquiry
    from bookings.models import Service
    from programs.models import Exercise, Program

    data.studio()
    owner, headers = data.owner()
    specs, service = data.specialists(n)
    people = data.clients(n)
    for i, spec in enumerate(specs):  # n bookings over n specialists and n clients
        data.bookings(spec, service, people[i:] + people[:i], 1)
    extra = Service.objects.bulk_create(
        Service(slug=f"s{i}", name=f"Service {i}", duration_minutes=45) for i in range(n - 1)
    )
    Service.specialists.through.objects.bulk_create(
        Service.specialists.through(service_id=s.pk, specialistprofile_id=specs[i].pk)
        for i, s in enumerate(extra)
    )
    Enquiry.objects.bulk_create(
        Enquiry(name=f"E {i}", email=f"e{i}@bench.test", message="Back pain.", concerns=["back"])
        for i in range(n)
    )
    Exercise.objects.bulk_create(
        Exercise(name=f"Ex {i}", slug=f"ex-{i}", position=Exercise.Position.LYING, reps=10)
        for i in range(n)
    )
    Program.objects.bulk_create(
        Program(client=c, specialist=specs[i], title=f"Program {i}", created_by=owner)
        for i, c in enumerate(people)
    )
    return headers


def _count(path: str, headers: dict) -> tuple[int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    http = Client(headers=headers)
    http.get(path, {"limit": 1000})  # warm: the studio row and the like may be cached
    with CaptureQueriesContext(connection) as queries:
        response = http.get(path, {"limit": 1000})
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    body = response.json()
    rows = len(body["results"] if isinstance(body, dict) and "results" in body else body)
    return len(queries), rows


def main() -> list[Row]:
    counts: dict[str, list[tuple[int, int]]] = {path: [] for path in ENDPOINTS}
    for i, n in enumerate(SIZES):
        if i:
            db.flush()
        headers = _populate(n)
        for path in ENDPOINTS:
            counts[path].append(_count(path, headers))
    rows = []
    for path, measured in counts.items():
        (q_small, r_small), (q_big, r_big) = measured
        rows.append(
            Row(
                "d",
                f"GET {path} queries at 10 / 1,000 rows",
                f"{q_small} / {q_big} (rows returned {r_small} / {r_big})",
                "flat",
                q_small == q_big,
            )
        )
    return rows
