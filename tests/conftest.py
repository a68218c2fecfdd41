"""Shared fixtures. Components a test needs (PostgreSQL, Redis, Chromium, localstripe, Radicale)
are looked for; a missing one skips the test on a developer's machine and fails it in CI."""

import os
import shutil

import pytest
from rest_framework.test import APIClient

from bookings import sms
from tests import factories

pytest_plugins = [
    "tests.fixtures.bookings",
    "tests.fixtures.stripe",
    "tests.fixtures.caldav",
    "tests.fixtures.workers",
    "tests.fixtures.s3",
]

IN_CI = os.environ.get("CI", "").lower() == "true"
# Playwright's sync API runs an event loop in the test thread; Django's ORM then refuses to
# run there unless told it is safe (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """Pages render without `collectstatic`: with DEBUG off the settings choose whitenoise's
    manifest storage (which needs it, as `make run` and the image build do); tests use the plain
    storage. Tests that boot `make run` itself collect into their own folder."""
    from django.conf import settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` test PostgreSQL's own guards: the SQLite pass deselects them
    (they run in the PostgreSQL pass) rather than skipping, so a skip always means trouble."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def require(component: str, available: bool, why: str = "") -> None:
    """Skip (developer machine) or fail (CI=true) a test whose component is missing."""
    if available:
        return
    message = f"{component} is not available{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: nothing may skip)")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _no_rate_limits_by_default(settings, request):
    """Tests of rate limits turn them on themselves; others must not trip over them."""
    if "rate_limits" not in request.keywords:
        settings.RATE_LIMITS = False
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _calendar_servers_on_loopback(settings):
    """The test ICS and CalDAV servers listen on 127.0.0.1, which production refuses
    (bookings/calendars/outbound.py); tests of that guard set it back to False."""
    settings.CALENDAR_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture(autouse=True)
def _eager_celery(settings, request):
    """Tasks run inline unless a test asks for a real worker (marker `redis`)."""
    if "redis" not in request.keywords:
        from studio.celery import app

        settings.CELERY_TASK_ALWAYS_EAGER = True
        app.conf.task_always_eager = True
        yield
        app.conf.task_always_eager = False
    else:
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for alias in ("default", "availability"):
        try:
            caches[alias].clear()
        except Exception:  # the cache tables are created by the first db test
            pass


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def owner_user(db):
    return factories.owner(email="boss@example.org")


@pytest.fixture
def specialist(db):
    return factories.SpecialistFactory()


@pytest.fixture
def client_profile(db):
    return factories.ClientFactory()


@pytest.fixture
def demo(db, settings):
    """The seed_demo studio."""
    from django.core.management import call_command

    settings.DEMO_PASSWORD = "tonic-demo-2026"
    call_command("seed_demo", "--force", verbosity=0)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """A headless Debian Chromium driven by Playwright (no Playwright browser download)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    require("Chromium", bool(path), "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser page that fails the test on any JavaScript error."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page, live_server, email: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")


def page_width(page) -> int:
    """How wide the page lays out, once its stylesheets have loaded: measured earlier (right
    after a navigation), a page can be laid out without its own CSS and seem to stick out."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def sms_outbox(settings):
    """Text messages sent through the SMS backend, kept in memory (bookings/sms.py)."""
    settings.SMS_BACKEND = "bookings.sms.LocmemBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
