"""Queueing a Celery task by its registered name, so that no service imports a tasks module.

Tasks are leaves (docs/LAYOUT.md): a tasks module imports the service it runs, so a service that
imported the task back would close an import cycle. A service names the task instead; the name
is fixed by `name=` on the task (it survives moving the module), every task module is imported
when Django starts (studio/apps.py), and tests/test_layout.py checks that each name a service
uses belongs to a registered task.
"""

from celery import current_app
from celery.result import AsyncResult


def enqueue(name: str, *args, **options) -> AsyncResult:
    """Queue the task registered as `name` with `args` (eager in tests, like `.apply_async`).

    `options` are apply_async's (e.g. `retry_policy`). Call it from `transaction.on_commit`
    when the task needs the caller's writes."""
    return current_app.tasks[name].apply_async(args, **options)
