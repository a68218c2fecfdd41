#!/bin/sh
# The container's entrypoint: one image, one role per container.
#   web      gunicorn (deploy/gunicorn.conf.py)
#   worker   a Celery worker (CELERY_CONCURRENCY processes, default 2)
#   beat     Celery beat, django-celery-beat's database scheduler (run exactly one)
#   release  deploy checks, migrations, cache table: run once before web/worker/beat start
#   manage   python manage.py ... (e.g. `manage createsuperuser`)
# Anything else is run as given.
set -eu
role=${1:-web}
[ $# -gt 0 ] && shift
case "$role" in
  web)
    exec gunicorn -c /app/deploy/gunicorn.conf.py studio.wsgi "$@" ;;
  worker)
    exec celery -A studio worker --loglevel="${LOG_LEVEL:-INFO}" \
      --concurrency="${CELERY_CONCURRENCY:-2}" --without-gossip --without-mingle "$@" ;;
  beat)
    exec celery -A studio beat --loglevel="${LOG_LEVEL:-INFO}" \
      --schedule=/tmp/celerybeat-schedule "$@" ;;
  release)
    python manage.py check --deploy --fail-level WARNING
    python manage.py migrate --noinput
    python manage.py createcachetable
    [ $# -eq 0 ] || exec "$@" ;;
  manage)
    exec python manage.py "$@" ;;
  *)
    exec "$role" "$@" ;;
esac
