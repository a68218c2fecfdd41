"""Two specialists assigning a program to one client at the same moment: exactly one ends up
active and the later one completes the other, instead of a request failing on the database's
one-active-program constraint."""

import threading

import pytest
from django.db import connections

from programs import services
from programs.models import Program

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_assignments_leave_one_active_program(
    make_program, client_user, staff, monkeypatch
):
    # Hold each assignment open just after it made its program active, until the other one
    # gets there too (or 2 s pass): without the lock on the client both are inside at once,
    # and the second fails on the constraint (checked by switching the lock off).
    meet = threading.Barrier(2)
    record_version = services._record_version

    def record_version_after_meeting(**kwargs):
        try:
            meet.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass  # the other one is waiting for our lock: go on alone
        return record_version(**kwargs)

    monkeypatch.setattr(services, "_record_version", record_version_after_meeting)
    errors: list[Exception] = []

    def assign(title):
        try:
            make_program(client_user, title=title)
        except Exception as exc:  # the assertion below shows which
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(f"Phase {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    statuses = Program.objects.filter(client=client_user.client).values_list("status", flat=True)
    assert sorted(statuses) == ["active", "completed"]
