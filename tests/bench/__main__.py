"""`python -m tests.bench [name ...]` (or `make bench`): every benchmark, one table.

Runs against its own throwaway database, never the dev or test one: a SQLite file under
var/bench/ by default; with DATABASE_URL set, a dedicated `<name>_bench` PostgreSQL database
created here and dropped at the end. Servers and workers started by the benchmarks inherit it
through the environment. BENCH_QUICK=1 scales every size down for CI.
"""

import importlib
import os
import sys
import time

from tests.bench import db

MODULES = [
    "http",
    "engine",
    "feed",
    "queries",
    "concurrency",
    "reminders",
    "busy",
    "stack",
    "classes",
    "booking_cpu",
]


def run() -> None:
    wanted = sys.argv[1:] or MODULES
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "studio.settings",
            "RATE_LIMITS": "off",
            "EMAIL_URL": "memorymail://",  # locmem backend: nothing leaves the machine
            "LOG_LEVEL": "WARNING",
        }
    )
    url = db.create()
    try:
        import django

        django.setup()
        db.migrate()
        from tests.bench.report import Table

        table = Table()
        began = time.perf_counter()
        for name in wanted:
            module = importlib.import_module(f"tests.bench.bench_{name}")
            db.flush()
            for row in module.main():
                table.add(row)
                print(f"  {row.line()}", flush=True)
        table.print(seconds=time.perf_counter() - began, database=db.describe(url))
    finally:
        db.drop(url)


if __name__ == "__main__":
    run()
