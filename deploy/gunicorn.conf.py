"""Gunicorn configuration for Tonic (used by the container image and by deploy/stack-up).

Every value can be changed from the environment, so the same file serves a small VPS and a
bigger box: `gunicorn -c deploy/gunicorn.conf.py studio.wsgi`.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# Where to listen. In compose the web container listens on all its interfaces (Caddy reaches it
# on the internal network only); deploy/stack-up binds to loopback.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"

# Sync workers: the API does short database-bound requests. 2 x cores + 1, capped, is the usual
# start; WEB_CONCURRENCY overrides it (as on most platforms).
workers = _int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9))
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request that takes longer than this is a bug (or an attack); the worker is replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Load Django once in the master and fork ready workers from it. A worker that starts cold
# spends over a second importing before its first answer; forked from a loaded master it answers
# at once, so replacing one never stalls the server (issue 20). Code changes need a restart
# (`kill -HUP` reloads), as they do anyway in production.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# Recycle workers now and then so a slow leak never becomes an outage. The jitter is wide (half
# the limit): workers started together must not all be replaced in the same few seconds.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", max_requests // 2)

# Request-line and header limits (bodies are capped by Caddy and by the app).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# The reverse proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
# (compose: the Caddy container is on the private network, hence "*" there.)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Heartbeat files in memory, not on a container's overlay filesystem.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (
    "/dev/shm" if os.path.isdir("/dev/shm") else None
)

# Logs to stdout/stderr: the container runtime (or stack-up) collects them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# No query strings in the access log: search terms typed by staff may name a client.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

pidfile = os.environ.get("GUNICORN_PID") or None
proc_name = "tonic-web"

# gunicorn >= 25 opens a control socket (for `gunicornc`) in the home directory; two servers on
# one machine would share it. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


def pre_fork(server, worker):
    """Before each fork, close whatever the preloaded app opened in the master (a database
    connection, cache sockets): a child must never share a socket with its parent or siblings.
    Then freeze the loaded app's objects out of the garbage collector's reach: a worker's full
    collections no longer walk them (pauses in the middle of requests), and they are not
    written to, so their memory stays shared with the master."""
    if not preload_app:
        return
    # Imported here: gunicorn reads this file before the app (and Django's settings) load.
    from django.core.cache import caches  # noqa: PLC0415 -- see above
    from django.db import connections  # noqa: PLC0415 -- see above

    connections.close_all()
    caches.close_all()
    gc.freeze()
