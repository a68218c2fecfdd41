from importlib import import_module

from django.apps import AppConfig
from django.conf import settings

from studio.kernel import converters


class StudioConfig(AppConfig):
    name = "studio"
    verbose_name = "Studio"

    def ready(self) -> None:
        """Register the `id` path converter before any URLconf loads (studio/kernel/converters.py),
        and every Celery task in every process (web, worker, tests): services queue
        tasks by name (studio/kernel/jobs.py), so the names must resolve without a service
        importing its tasks module."""
        converters.register()
        for module in settings.CELERY_IMPORTS:
            import_module(module)
