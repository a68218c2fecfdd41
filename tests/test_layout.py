"""The layout's rules (docs/LAYOUT.md), read from the source: no import cycles, imports point
down (accounts <- programs <- bookings; apps take only studio.kernel from studio), and every
Celery task name that beat or a service uses belongs to a registered task."""

import ast

import pytest
from django.conf import settings

from studio.celery import app as celery_app
from tests.layout_graph import APPS, ROOT, cycles, import_graph, project_modules

# What each layer may import. `studio.models` holds the outbox's table (tables stay in their
# app), which studio/kernel/outbox.py reads and writes.
ALLOWED = {
    "accounts": {"accounts", "kernel"},
    "programs": {"accounts", "programs", "kernel"},
    "bookings": {"accounts", "programs", "bookings", "kernel"},
    "kernel": {"kernel"},
    "studio": {"accounts", "programs", "bookings", "studio", "kernel"},
}
KERNEL_MAY_IMPORT = {"studio.models"}


def _layer(module: str) -> str:
    return "kernel" if module.startswith("studio.kernel") else module.split(".")[0]


def test_layout_has_no_import_cycle():
    """Counting imports inside functions: they hide a cycle, they do not remove it."""
    assert cycles(import_graph()) == []


def test_layout_cycle_finder_finds_a_hidden_cycle():
    """The finder itself: a cycle closed only by an import inside a function is found."""
    graph = {"a.one": {"a.two"}, "a.two": {"a.three"}, "a.three": {"a.one"}, "a.four": set()}
    assert cycles(graph) == [["a.one", "a.three", "a.two"]]


def test_layout_graph_counts_imports_inside_functions():
    graph = import_graph()
    # bookings/reminders/tasks.py imports its service inside the task body (a leaf).
    assert "bookings.reminders.services" in graph["bookings.reminders.tasks"]


def test_layout_imports_point_down():
    upward = [
        f"{module} -> {target}"
        for module, targets in import_graph().items()
        for target in targets
        if _layer(target) not in ALLOWED[_layer(module)]
        and not (_layer(module) == "kernel" and target in KERNEL_MAY_IMPORT)
    ]
    assert upward == []


def test_layout_no_prefixed_module_at_the_top_of_bookings():
    prefixes = ("payments_", "calendar_", "reminders_", "tasks_", "views_", "urls_", "forms_")
    top = [p.name for p in (ROOT / "bookings").glob("*.py")]
    assert [name for name in top if name.startswith(prefixes)] == []


def _task_names_enqueued_in_source() -> set[str]:
    """Names passed to studio.kernel.jobs.enqueue(...) anywhere in the apps."""
    names = set()
    for path in project_modules().values():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "enqueue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(node.args[0].value)
    return names


@pytest.fixture
def registered_tasks():
    celery_app.loader.import_default_modules()
    return set(celery_app.tasks)


def test_layout_every_beat_entry_is_a_registered_task(registered_tasks):
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert beat - registered_tasks == set()


def test_layout_every_enqueued_task_name_is_registered(registered_tasks):
    enqueued = _task_names_enqueued_in_source()
    assert enqueued, "no service enqueues by name: the scan found nothing"
    assert enqueued - registered_tasks == set()


def test_layout_task_names_survive_the_move(registered_tasks):
    """Jobs queued before the move (issue 14) carry these names; they must still resolve."""
    kept = {
        "bookings.tasks_calendars.booking_push_calendars_task",
        "bookings.tasks_calendars.calendar_connection_sync_task",
        "bookings.tasks_calendars.calendar_connection_delete_task",
        "bookings.tasks_calendars.calendar_connections_sync_due_task",
        "bookings.tasks_payments.payment_holds_release_task",
        "bookings.tasks_reminders.reminders_send_due_task",
        "bookings.tasks_reminders.agendas_schedule_task",
        "bookings.tasks_reminders.practice_nudges_send_task",
        "studio.tasks.outbox_deliver_task",
        "studio.tasks.outbox_sweep_task",
    }
    assert kept - registered_tasks == set()


def test_layout_apps_listed():
    assert set(APPS) <= {app.split(".")[0] for app in settings.INSTALLED_APPS}
