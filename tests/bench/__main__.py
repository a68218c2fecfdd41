"""Run every benchmark module of this package: `python -m tests.bench` (or `make bench`).

Each runs against a throwaway test database (Django's test-database machinery), never the one
DATABASE_URL names.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "studio.settings")


def run() -> None:
    import django
    from django.conf import settings

    settings.DATABASES["default"].setdefault("TEST", {})
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATABASES["default"]["TEST"]["NAME"] = str(settings.VAR_DIR / "bench.sqlite3")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        package = Path(__file__).parent
        wanted = sys.argv[1:]
        for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda i: i.name):
            if info.name.startswith("bench_") and (not wanted or info.name in wanted):
                importlib.import_module(f"tests.bench.{info.name}").main()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    run()
