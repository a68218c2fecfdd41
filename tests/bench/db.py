"""The benchmarks' own database: create, migrate, empty between benchmarks, drop."""

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE = Path(__file__).resolve().parents[2]
VAR = BASE / "var" / "bench"


def create() -> str:
    """Make an empty bench database, point DATABASE_URL at it and return its URL."""
    VAR.mkdir(parents=True, exist_ok=True)
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith("postgres"):
        path = VAR / "bench.sqlite3"
        for stale in VAR.glob("bench.sqlite3*"):
            stale.unlink()
        url = f"sqlite:///{path}"
    else:
        parts = urlsplit(source)
        name = f"{parts.path.lstrip('/') or 'tonic'}_bench"
        _admin(
            source, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
        )
        url = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ["DATABASE_URL"] = url
    if os.environ.get("CELERY_BROKER_URL", "filesystem://") == "filesystem://":
        shutil.rmtree(VAR / "celery", ignore_errors=True)
        os.environ["CELERY_FILESYSTEM_FOLDER"] = str(VAR / "celery")
    return url


def drop(url: str) -> None:
    """Remove the bench database (the SQLite file stays for a look; the next run replaces it)."""
    if url.startswith("postgres"):
        from django.db import connections

        connections.close_all()
        name = urlsplit(url).path.lstrip("/")
        _admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(url: str, *statements: str) -> None:
    import psycopg

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


def flush() -> None:
    """Empty every table, so each benchmark starts from the same state."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)


def describe(url: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]} (WAL)"
