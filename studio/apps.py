from importlib import import_module

from django.apps import AppConfig
from django.conf import settings


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = "Studio"

    def ready(self) -> None:
        """Register every Celery task in every process (web, worker, tests): services queue
        tasks by name (studio/kernel/jobs.py), so the names must resolve without a service
        importing its tasks module."""
        for module in settings.CELERY_IMPORTS:
            import_module(module)
