"""The Celery app. Tasks live beside services in each app's tasks.py (autodiscovered) or in
modules listed in settings.CELERY_IMPORTS (e.g. bookings.reminders.tasks).

Two ways to run, same code: `make run` uses the filesystem broker (no server; honcho starts a
worker and beat beside the web server), production and CI use Redis. Periodic jobs are declared
in settings.CELERY_BEAT_SCHEDULE; beat's DatabaseScheduler writes them into django-celery-beat's
tables when it starts. Tasks ack late and are requeued if their worker dies, so every task must
be idempotent (the reminder jobs claim each row before sending).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")

app = Celery("studio")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
