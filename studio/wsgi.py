"""The WSGI application (gunicorn: `studio.wsgi`), loaded and warmed before the first request.

Warm: Django loads the URLconf (every view module) on the first request, and kombu imports the
broker's transport (the redis client library) on the first publish. Done here instead, gunicorn's
preloading master does both once before forking its workers (deploy/gunicorn.conf.py), so no
worker spends its first requests importing: under load that was a quarter of the workers' CPU in
the first seconds (docs/BENCHMARKS.md, issue 17). Without preloading, each worker does it as it
starts. Nothing here opens a connection."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.urls import get_resolver  # noqa: PLC0415 -- after Django is set up

    from studio.celery import app  # noqa: PLC0415 -- after Django is set up

    get_resolver().url_patterns  # noqa: B018 -- imports the URLconf and every view
    try:
        with app.connection_for_write() as broker:
            broker.transport  # noqa: B018 -- imports the transport's module; connects nothing
    except Exception:  # a broker URL it cannot load: serve anyway; the outbox logs each publish
        logging.getLogger(__name__).warning("broker transport not loaded", exc_info=True)


_warm()
