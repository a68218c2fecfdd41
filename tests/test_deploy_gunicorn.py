"""deploy/gunicorn.conf.py never lets worker replacement stall the server (issue 20): the app is
loaded once in the master and workers are forked ready, the recycling limit is jittered widely
so workers started together are not replaced together, and nothing the master opened while
loading is shared with a forked worker."""

import gc
import os
import re
import runpy
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.db import connection

from tests.test_embedded_server import free_port

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def config(monkeypatch, **env: str) -> dict:
    for name in ("GUNICORN_PRELOAD", "GUNICORN_MAX_REQUESTS", "GUNICORN_MAX_REQUESTS_JITTER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_app_is_preloaded_in_the_master(monkeypatch):
    assert config(monkeypatch)["preload_app"] is True
    assert config(monkeypatch, GUNICORN_PRELOAD="0")["preload_app"] is False


def test_recycling_is_jittered_by_half_the_limit(monkeypatch):
    values = config(monkeypatch)
    assert values["max_requests"] > 0
    assert values["max_requests_jitter"] >= values["max_requests"] // 2
    values = config(monkeypatch, GUNICORN_MAX_REQUESTS="0")  # recycling off
    assert (values["max_requests"], values["max_requests_jitter"]) == (0, 0)


@pytest.mark.django_db(transaction=True)  # outside a test transaction, so it can close
def test_pre_fork_closes_the_masters_connections_and_freezes_its_objects(monkeypatch):
    pre_fork = config(monkeypatch)["pre_fork"]
    connection.ensure_connection()
    assert connection.connection is not None
    frozen = gc.get_freeze_count()
    try:
        pre_fork(server=None, worker=None)
        assert connection.connection is None
        assert gc.get_freeze_count() > frozen  # the loaded app is out of the collector's way
    finally:
        gc.unfreeze()


def test_preloaded_workers_are_replaced_without_a_failed_request(tmp_path):
    """A real gunicorn with the config, workers recycled every few requests: every request
    answers 200 and the log shows the replacements."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_FILESYSTEM_FOLDER": str(tmp_path / "celery"),
        "DEBUG": "0",
        "SECRET_KEY": "gunicorn-test-only",
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_MAX_REQUESTS": "4",
        "GUNICORN_LOG_LEVEL": "info",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(gunicorn), "-c", str(CONFIG), "studio.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        statuses = [requests.get(base + "/healthz", timeout=10).status_code for _ in range(40)]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert statuses == [200] * 40
    assert len(re.findall(r"Autorestarting worker", log.read_text())) >= 5
