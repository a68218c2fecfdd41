"""`make run` is a real server: gunicorn and whitenoise with DEBUG off, styled error pages, links
that follow PORT, and forty people asking for one slot at once all get an answer.

The `embedded` fixture boots the real `make run` (setup, collectstatic, seed_demo, then honcho
with the Procfile's web, worker and beat) as on a fresh machine: no DEBUG, SECRET_KEY or
SITE_URL in the environment, SQLite and the filesystem queue in a temporary VAR_DIR, on a free
port (TEST_PORT_RANGE, e.g. 8300-8399, keeps it in a range). Stripe points at localstripe so a
paid booking answers with a pay link. E-mails print on the honcho console, which the tests read.
"""

import json
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from django.db import OperationalError, connection

from tests.fixtures.stripe import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET
from tests.fixtures.workers import BASE_DIR, stop

DEMO_PASSWORD = "tonic-demo-2026"
# Every variable studio/settings.py reads (as tests/test_deploy.py finds them): none may leak
# from the test run into `make run`, which must work with an empty environment.
SETTINGS_READ = set(
    re.findall(
        r"""env(?:\.[a-z_]+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""",
        (BASE_DIR / "studio" / "settings.py").read_text(),
    )
)


def free_port() -> int:
    """A port nothing listens on, from TEST_PORT_RANGE when it is set."""
    low, _, high = os.environ.get("TEST_PORT_RANGE", "").partition("-")
    candidates = range(int(low), int(high) + 1) if low and high else [0]
    for port in candidates:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError(f"no free port in {os.environ['TEST_PORT_RANGE']}")


@dataclass
class Embedded:
    base: str
    var_dir: Path
    console: Path

    def url(self, path: str) -> str:
        return self.base + path

    def output(self) -> str:
        return self.console.read_text(errors="replace")

    def wait_for_console(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in (output := self.output()):
                return output
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never printed; console:\n{self.output()[-4000:]}")


def _ready(base: str) -> bool:
    try:
        return requests.get(base + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def embedded(tmp_path_factory, localstripe_server):
    """`make run` in a temporary VAR_DIR; yields once web, worker and beat are up."""
    var_dir = tmp_path_factory.mktemp("embedded-var")
    console = var_dir.parent / "make-run.log"
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_READ and not k.startswith(("PYTEST", "DJANGO_")) and k != "CI"
    }
    env.update(
        VAR_DIR=str(var_dir),
        PORT=str(port),
        DEMO_PASSWORD=DEMO_PASSWORD,
        # Forty bookings from one address in a second: keep the limit on, out of their way.
        BOOKING_RATE="1000/h",
        STRIPE_SECRET_KEY=SECRET_KEY,
        STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=localstripe_server,
    )
    base = f"http://127.0.0.1:{port}"
    with console.open("w") as out:
        proc = subprocess.Popen(
            ["make", "run"],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300
        while not (_ready(base) and " ready." in console.read_text(errors="replace")):
            assert proc.poll() is None, console.read_text(errors="replace")[-4000:]
            assert time.monotonic() < deadline, console.read_text(errors="replace")[-4000:]
            time.sleep(0.5)
        yield Embedded(base=base, var_dir=var_dir, console=console)
    finally:
        stop(proc, timeout=30)


def _slots(embedded: Embedded, service: str) -> list[dict]:
    start = date.today() + timedelta(days=3)
    answer = requests.get(
        embedded.url("/api/availability/"),
        params={"service": service, "start": start, "end": start + timedelta(days=14)},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["slots"]


def _book(embedded: Embedded, service: str, slot: dict, who: str) -> requests.Response:
    return requests.post(
        embedded.url("/api/bookings/"),
        json={
            "service": service,
            "specialist": slot["specialist"],
            "start": slot["start"],
            "name": f"Guest {who}",
            "email": f"guest-{who}@example.org",
        },
        timeout=60,
    )


def _token(embedded: Embedded, email: str) -> str:
    """The Authorization header value for a demo user."""
    answer = requests.post(
        embedded.url("/api/auth/token/"),
        json={"email": email, "password": DEMO_PASSWORD},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    return f"Token {answer.json()['token']}"


def test_make_run_serves_with_gunicorn_and_whitenoise_debug_off(embedded):
    home = requests.get(embedded.url("/"), timeout=30)
    assert home.status_code == 200
    assert home.headers["Server"].startswith("gunicorn")  # not runserver's WSGIServer
    # DEBUG off: static files by whitenoise under hashed names, cached for good.
    [css] = re.findall(r'href="(/static/css/tonic\.[0-9a-f]{12}\.css)"', home.text)
    sheet = requests.get(embedded.url(css), timeout=30)
    assert sheet.status_code == 200
    assert ".error-page" in sheet.text
    assert "immutable" in sheet.headers["Cache-Control"]
    # No SECRET_KEY in the environment: one was made and kept where only its owner reads it.
    key_file = embedded.var_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_make_run_answers_unknown_pages_with_the_styled_404_and_json_under_api(embedded):
    page = requests.get(embedded.url("/no-such-page/"), timeout=30)
    assert page.status_code == 404
    assert 'class="error-code">404' in page.text
    assert '<a href="/" role="button">Back to the front page</a>' in page.text
    assert "Pilates Tonic" in page.text  # the site's layout, with the studio's name
    assert "URLconf" not in page.text and "Traceback" not in page.text  # no DEBUG page
    api = requests.get(embedded.url("/api/no-such-thing/"), timeout=30)
    assert api.status_code == 404
    assert api.headers["Content-Type"] == "application/json"
    assert api.json() == {"detail": "Not found."}


def test_make_run_answers_forty_concurrent_bookings_of_one_slot(embedded):
    """One 201 and 39 409s: every request gets an answer, none a reset (runserver reset 11)."""
    slot = _slots(embedded, "consultation")[0]
    start = threading.Barrier(40)
    answers: list[int | str] = [0] * 40

    def book(i: int) -> None:
        start.wait()
        try:
            answers[i] = _book(embedded, "consultation", slot, f"race-{i}").status_code
        except requests.RequestException as exc:  # a reset or a refused connection
            answers[i] = repr(exc)

    threads = [threading.Thread(target=book, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Counter(answers) == {201: 1, 409: 39}, Counter(answers)


def test_make_run_links_follow_port(embedded):
    """Without SITE_URL every absolute link names the port `make run` serves on."""
    slots = _slots(embedded, "consultation")
    booked = _book(embedded, "consultation", slots[-1], "links")
    assert booked.status_code == 201, booked.text
    manage = f"{embedded.base}/bookings/manage/{booked.json()['manage_token']}/"
    # The confirmation e-mail (sent by the worker, printed on the console).
    embedded.wait_for_console(manage)

    paid = _book(embedded, "private-session", _slots(embedded, "private-session")[-1], "paid")
    assert paid.status_code == 201, paid.text
    assert paid.json()["payment"]["pay_url"].startswith(embedded.base + "/")

    staff = {"Authorization": _token(embedded, "owner@example.com")}
    feeds = requests.get(embedded.url("/api/calendar-feeds/"), headers=staff, timeout=30).json()
    assert feeds and all(f["url"].startswith(embedded.base + "/calendar/") for f in feeds), feeds

    # A client's own feed links each event to its manage page (the ICS URL: property).
    client = {"Authorization": _token(embedded, "client@example.com")}
    slot = _slots(embedded, "consultation")[-1]
    mine = requests.post(
        embedded.url("/api/bookings/"),
        json={"service": "consultation", "specialist": slot["specialist"], "start": slot["start"]},
        headers=client,
        timeout=30,
    )
    assert mine.status_code == 201, mine.text
    feeds = requests.get(embedded.url("/api/calendar-feeds/"), headers=client, timeout=30).json()
    [feed] = [f["url"] for f in feeds if f["kind"] == "client"]
    ics = requests.get(feed, timeout=30)
    assert ics.headers["Content-Type"].startswith("text/calendar")
    unfolded = ics.text.replace("\r\n ", "")  # RFC 5545 folds lines at 75 octets
    assert f"URL:{embedded.base}/bookings/manage/{mine.json()['manage_token']}/" in unfolded

    # An enquiry converted by staff: the new client is e-mailed an intake link.
    enquiry = requests.post(
        embedded.url("/api/enquiries/"),
        json={
            "name": "Ivy Intake",
            "email": "ivy-intake@example.org",
            "message": "Knee pain on stairs.",
            "consent": True,
        },
        timeout=30,
    )
    assert enquiry.status_code == 201, enquiry.text
    converted = requests.post(
        embedded.url(f"/api/enquiries/{enquiry.json()['id']}/convert/"), headers=staff, timeout=30
    )
    assert converted.status_code == 201, converted.text
    embedded.wait_for_console(f"{embedded.base}/accounts/intake/")

    assert "127.0.0.1:8000" not in embedded.output()


def test_make_run_login_booking_form_and_admin_work_over_plain_http(embedded):
    """DEBUG off, no HTTPS: CSRF and session cookies still work on http://127.0.0.1:PORT."""
    browser = requests.Session()
    browser.headers["Origin"] = embedded.base  # as a browser sends with every form POST

    def post_form(path: str, data: dict) -> requests.Response:
        page = browser.get(embedded.url(path), timeout=30)
        assert page.status_code == 200, page.text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        data = {"csrfmiddlewaretoken": token, **data}
        return browser.post(embedded.url(path), data=data, allow_redirects=False, timeout=30)

    login = post_form(
        "/accounts/login/", {"username": "client@example.com", "password": DEMO_PASSWORD}
    )
    assert login.status_code == 302, login.text
    session = next(c for c in browser.cookies if c.name == "sessionid")
    assert not session.secure  # a Secure cookie would never come back over http
    assert browser.get(embedded.url("/portal/"), timeout=30).status_code == 200
    assert browser.get(embedded.url("/book/"), timeout=30).status_code == 200

    browser.cookies.clear()
    admin = post_form("/admin/login/", {"username": "owner@example.com", "password": DEMO_PASSWORD})
    assert admin.status_code == 302, admin.text
    assert browser.get(embedded.url("/admin/"), timeout=30).status_code == 200


# --- The settings `make run` starts with -------------------------------------------------------

PROBE = """
import json
import studio.settings as s
names = ["DEBUG", "SECRET_KEY", "SITE_URL", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
         "CSRF_COOKIE_SECURE"]
values = {name: getattr(s, name, None) for name in names}  # unset: Django's default (off)
print(json.dumps({**values, "static": s.STORAGES["staticfiles"]["BACKEND"]}))
"""


def settings_process(var_dir: Path, **environ: str) -> subprocess.Popen:
    """Load studio/settings.py in a new interpreter with only `environ` (and VAR_DIR) set."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_READ and not k.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(VAR_DIR=str(var_dir), **environ)
    return subprocess.Popen(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def settings_with(var_dir: Path, **environ: str) -> dict:
    out, err = settings_process(var_dir, **environ).communicate(timeout=60)
    assert out, err[-3000:]
    return json.loads(out)


def test_settings_embedded_default_is_debug_off_and_works_over_plain_http(tmp_path):
    embedded = settings_with(tmp_path)
    assert embedded["DEBUG"] is False
    assert embedded["SITE_URL"] == "http://127.0.0.1:8000"
    # No HTTPS on 127.0.0.1: no redirect to it, no cookie a browser would keep to itself.
    assert embedded["SECURE_SSL_REDIRECT"] is False
    assert embedded["SESSION_COOKIE_SECURE"] is embedded["CSRF_COOKIE_SECURE"] is False
    assert embedded["static"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"

    development = settings_with(tmp_path, DEBUG="1")
    assert development["DEBUG"] is True
    assert development["static"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert development["SECRET_KEY"] == embedded["SECRET_KEY"]  # sessions survive DEBUG=1


def test_settings_site_url_follows_port_unless_given(tmp_path):
    assert settings_with(tmp_path, PORT="8377")["SITE_URL"] == "http://127.0.0.1:8377"
    public = settings_with(tmp_path, PORT="8377", SITE_URL="https://studio.example.com/")
    assert public["SITE_URL"] == "https://studio.example.com"
    assert public["SECURE_SSL_REDIRECT"] is True
    assert public["SESSION_COOKIE_SECURE"] is public["CSRF_COOKIE_SECURE"] is True


def test_settings_make_one_secret_key_for_processes_starting_together(tmp_path):
    """Web, worker and beat start at once on a fresh machine: they must agree on one key."""
    starting = [settings_process(tmp_path) for _ in range(4)]
    keys = {json.loads(p.communicate(timeout=60)[0])["SECRET_KEY"] for p in starting}
    [key] = keys
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == key and len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["celery", "secret_key", "static"]
    assert settings_with(tmp_path)["SECRET_KEY"] == key  # and keep it across restarts


def test_settings_production_insists_on_a_secret_key(tmp_path):
    refused = settings_process(tmp_path, REQUIRE_SECRET_KEY="1")
    _, err = refused.communicate(timeout=60)
    assert refused.returncode != 0
    assert "SECRET_KEY is not set" in err
    assert not (tmp_path / "secret_key").exists()


def test_deploy_check_fails_when_production_forgets_its_https_site_url(tmp_path):
    """Redirect and Secure cookies follow SITE_URL: a deploy without it cannot pass the release
    step's check (deploy/entrypoint.sh), so the looser `make run` default never reaches it."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_READ and not k.startswith(("PYTEST", "DJANGO_"))
    }
    env.update(
        VAR_DIR=str(tmp_path),
        REQUIRE_SECRET_KEY="1",
        SECRET_KEY="x" * 60 + "abcdefghij",
        ALLOWED_HOSTS="studio.example.com",
    )
    check = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    done = subprocess.run(check, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert {"security.W008", "security.W012", "security.W016"} <= set(
        re.findall(r"security\.W\d+", done.stderr + done.stdout)
    )
    env["SITE_URL"] = "https://studio.example.com"
    done = subprocess.run(check, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout


# --- Error pages (DEBUG is off in tests, as in `make run`) ---------------------------------------


def _styled(page, code: int) -> None:
    """The site's layout with the status and a way home; nothing of Django's debug pages."""
    html = page.content.decode()
    assert page.status_code == code
    assert page["Content-Type"].startswith("text/html")
    assert f'<p class="error-code">{code}</p>' in html
    assert 'class="site-header"' in html and "/static/css/tonic.css" in html
    assert '<a href="/" role="button">Back to the front page</a>' in html
    assert "Traceback" not in html and "URLconf" not in html


@pytest.mark.django_db
def test_error_page_404_is_styled_and_json_under_api(client):
    _styled(client.get("/no-such-page/"), 404)
    api = client.get("/api/no-such-thing/")
    assert api.status_code == 404 and api.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_error_page_403_shows_the_refusal_in_the_layout(client, client_profile):
    client.force_login(client_profile.user)
    page = client.get("/workspace/")
    _styled(page, 403)
    assert "The workspace is for studio staff." in page.content.decode()


@pytest.mark.django_db
def test_error_page_403_for_a_stale_form_says_how_to_recover(client):
    client.handler.enforce_csrf_checks = True
    page = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"})
    _styled(page, 403)
    assert "This form has expired" in page.content.decode()


@pytest.mark.django_db
def test_error_page_400_for_a_bad_host_is_styled_and_json_under_api(client):
    _styled(client.get("/", HTTP_HOST="evil.example"), 400)
    api = client.get("/api/services/", HTTP_HOST="evil.example")
    assert api.status_code == 400 and api.json() == {"detail": "Bad request."}


def _database_down(execute, sql, params, many, context):
    raise OperationalError("database is locked")


@pytest.mark.django_db
def test_error_page_500_renders_while_the_database_is_down(client):
    """The 500 page must not need what failed: no context processors, no query."""
    client.raise_request_exception = False
    with connection.execute_wrapper(_database_down):
        page = client.get("/")
        api = client.get("/api/services/")
    _styled(page, 500)
    assert "database is locked" not in page.content.decode()
    assert api.status_code == 500 and api.json() == {"detail": "Server error."}
