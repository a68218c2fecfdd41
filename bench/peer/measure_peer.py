"""The peer: django-appointment in its own venv, its own SQLite file. Prints one JSON line.

Run by driver.py with var/bench-peer/venv/bin/python; BENCH_FIRST, BENCH_ZONE, BENCH_RUNS set.
"""

import json
import os
import sys
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlencode

os.environ["DJANGO_SETTINGS_MODULE"] = "peer_site.settings"

import common  # noqa: E402
import django  # noqa: E402

django.setup()

from appointment.models import (  # noqa: E402
    Appointment,
    AppointmentRequest,
    Config,
    Service,
    StaffMember,
    WorkingHours,
)
from appointment.services import get_available_slots_for_staff  # noqa: E402
from appointment.utils.db_helpers import get_weekday_num_from_date  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from tests.bench.server import _free_port, serving  # noqa: E402 (standard library only)


def build():
    """A fresh database with the same data as Tonic's: one staff member 08:00-20:00 every day,
    one 30-minute service, 300 confirmed appointments."""
    db = settings.DATABASES["default"]["NAME"]
    os.makedirs(os.path.dirname(db), exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    # The 3.12.0 wheel ships no migrations for its app: create its tables from the models.
    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    start, end = (time(h) for h in common.STAFF_HOURS)
    Config(slot_duration=30, lead_time=start, finish_time=end, appointment_buffer_time=0).save()
    User = get_user_model()
    staff_user = User.objects.create_user("staff", "staff@bench.test", first_name="Staff")
    staff = StaffMember.objects.create(user=staff_user, work_on_saturday=True, work_on_sunday=True)
    service = Service.objects.create(
        name="Bench", duration=timedelta(minutes=common.SERVICE_MINUTES), price=0
    )
    staff.services_offered.add(service)
    WorkingHours.objects.bulk_create(
        WorkingHours(staff_member=staff, day_of_week=d, start_time=start, end_time=end)
        for d in range(7)  # 0 = Sunday ... 6 = Saturday
    )
    clients = User.objects.bulk_create(
        User(username=f"client{i}", email=f"client{i}@bench.test") for i in range(common.CLIENTS)
    )
    requests = AppointmentRequest.objects.bulk_create(
        AppointmentRequest(
            date=day,
            start_time=time(hour),
            end_time=time(hour, common.SERVICE_MINUTES),
            service=service,
            staff_member=staff,
        )
        for day, hour in common.booking_starts()
    )
    Appointment.objects.bulk_create(
        Appointment(client=clients[i % len(clients)], appointment_request=r, amount_to_pay=0)
        for i, r in enumerate(requests)
    )
    return staff, service


def month(staff, service) -> list[datetime]:
    """The computation behind the day-availability endpoint (get_available_slots_ajax), day by day."""
    slots = []
    for day in common.days():
        weekday = get_weekday_num_from_date(day)
        slots += get_available_slots_for_staff(day, staff, weekday, service=service)
    return slots


def month_http(client, staff, service) -> int:
    """GET /appointment/ajax/available_slots/ for each day, as its booking page does: the slots."""
    slots = 0
    for day in common.days():
        response = client.get(
            "/appointment/ajax/available_slots/",
            {"selected_date": day.isoformat(), "staff_member": staff.pk, "service_id": service.pk},
            headers={"x-requested-with": "XMLHttpRequest"},
        )
        assert response.status_code == 200, response.content
        slots += len(response.json()["available_slots"])
    return slots


@contextmanager
def gunicorn():
    """peer_site.wsgi under gunicorn on 127.0.0.1, set up as tests/bench/server.py's gunicorn()
    serves Tonic: deploy/gunicorn.conf.py, 2 sync workers, access log to /dev/null, DEBUG off
    (peer_site's settings); yields the port."""
    port = _free_port()
    env = {
        **os.environ,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(common.WORKERS),
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "GUNICORN_LOG_LEVEL": "warning",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    config = str(common.ROOT / "deploy" / "gunicorn.conf.py")
    gunicorn_bin = str(Path(sys.executable).with_name("gunicorn"))
    here = Path(__file__).resolve().parent
    command = [gunicorn_bin, "-c", config, "--name", "peer-web", "peer_site.wsgi"]
    with serving(command, cwd=here, env=env, port=port):
        yield port


def served(staff, service) -> dict:
    """Requests/s of the day endpoint for one day mid-month, and of the trivial view, under
    gunicorn."""
    day = common.FIRST + timedelta(days=common.DAYS // 2)
    path = "/appointment/ajax/available_slots/?" + urlencode(
        {"selected_date": day.isoformat(), "staff_member": staff.pk, "service_id": service.pk}
    )
    with gunicorn() as port:
        figures = common.throughput(
            port, "/healthz", path, headers={"X-Requested-With": "XMLHttpRequest"}
        )
    figures["slots"] = len(json.loads(figures.pop("body"))["available_slots"])
    figures["day"] = day.isoformat()
    return figures


def main() -> None:
    staff, service = build()
    ms, queries, slots = common.measure(lambda: month(staff, service))
    client = Client()
    http_ms, http_queries, http_slots = common.measure(lambda: month_http(client, staff, service))
    gunicorn_figures = served(staff, service)
    common.emit(
        {
            "name": f"django-appointment {version('django-appointment')}",
            "django": django.get_version(),
            "ms": ms,
            "queries": queries,
            "http_ms": http_ms,
            "http_queries": http_queries,
            "http_requests": common.DAYS,
            "slots": len(slots),
            "http_slots": http_slots,
            "gunicorn": gunicorn_figures,
            "starts": sorted(s.strftime("%Y-%m-%dT%H:%M") for s in slots),
        }
    )


if __name__ == "__main__":
    main()
