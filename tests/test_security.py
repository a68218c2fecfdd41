"""Security settings and behaviour: production checks, headers, admin for owners, login throttling,
body size caps. Production settings are only computed when DEBUG is off at import time, so those
tests start a fresh interpreter with a production environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.models import User
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-9"


def production_env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CELERY_", "PYTEST_"))
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        REQUIRE_SECRET_KEY="1",
        ALLOWED_HOSTS="tonic.example.com,testserver",
        SITE_URL="https://tonic.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        CELERY_TASK_ALWAYS_EAGER="1",
        DJANGO_SETTINGS_MODULE="studio.settings",
    )
    env.update(extra)
    return env


def run(args, env, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import Resolver404, resolve
c = Client()
try:
    resolve("/admin/")
    admin_default = "served"
except Resolver404:
    admin_default = "not found"
secure = c.get("/healthz", secure=True)
plain = c.get("/healthz")
out = {
    "secure_status": secure.status_code,
    "secure_headers": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location"),
    "admin_default": admin_default,
    "admin_custom": c.get("/backstage-7f/", secure=True).status_code,
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "hash": make_password("x").split("$")[0],
}
print("PROBE" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    result = run(["-c", PRODUCTION_PROBE], production_env(tmp, ADMIN_PATH="backstage-7f"))
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(x for x in result.stdout.splitlines() if x.startswith("PROBE"))
    return json.loads(line[len("PROBE") :])


def test_check_deploy_is_clean_with_production_env(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_debug_on(tmp_path):
    """The check above can fail: with DEBUG on the same command reports problems."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path, DEBUG="1"),
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr  # DEBUG in deployment


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_sends_hsts_and_hardening_headers(production):
    assert production["secure_status"] == 200
    headers = production["secure_headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"] == "https://testserver/healthz"


def test_production_cookies_are_secure_and_passwords_argon2(production):
    assert production["session_cookie_secure"] is True
    assert production["csrf_cookie_secure"] is True
    assert production["hash"] == "argon2"


def test_admin_path_is_configurable(production):
    assert production["admin_default"] == "not found"
    assert production["admin_custom"] == 302  # to the admin login


@pytest.mark.django_db
def test_csp_header_on_pages_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"  # no clickjacking in frames


@pytest.mark.django_db
def test_login_form_requires_csrf(db):
    from django.test import Client

    factories.owner(email="boss@example.org", password=PASSWORD)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/accounts/login/", {"username": "boss@example.org", "password": PASSWORD}
    )
    assert response.status_code == 403


def admin_login(client, email, password=PASSWORD):
    return client.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password}, follow=True
    )


@pytest.mark.django_db
def test_admin_lets_the_owner_in(client):
    factories.owner(email="boss@example.org", password=PASSWORD)
    response = admin_login(client, "boss@example.org")
    assert response.redirect_chain[-1][0] == "/admin/"
    assert b"Studio housekeeping" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("role", [User.Role.SPECIALIST, User.Role.CLIENT])
def test_admin_refuses_staff_flagged_non_owners(client, role):
    # Even a superuser flag must not open the admin to anyone but an owner.
    User.objects.create_user(
        "someone@example.org", PASSWORD, role=role, is_staff=True, is_superuser=True
    )
    response = admin_login(client, "someone@example.org")
    assert response.status_code == 200
    assert b"Studio housekeeping" not in response.content
    assert b"Please enter the correct" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_index_refuses_a_logged_in_specialist(client, specialist):
    specialist.user.is_staff = True
    specialist.user.save()
    client.force_login(specialist.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.fixture
def throttled(settings):
    """Login throttling as in production (the suite turns it off by default)."""
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    return settings


def token_login(api, email, password, **extra):
    return api.post(
        "/api/auth/token/", {"email": email, "password": password}, format="json", **extra
    )


@pytest.mark.django_db
def test_token_login_locks_out_after_failures_with_429_json(throttled, api):
    factories.owner(email="boss@example.org", password=PASSWORD)
    statuses = [token_login(api, "boss@example.org", "wrong").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    locked = token_login(api, "boss@example.org", PASSWORD)  # even the right password
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert "detail" in locked.json()
    assert int(locked["Retry-After"]) > 0


@pytest.mark.django_db
def test_token_login_lockout_is_per_address(throttled, api):
    factories.owner(email="boss@example.org", password=PASSWORD)
    for _ in range(5):
        token_login(api, "boss@example.org", "wrong", REMOTE_ADDR="203.0.113.5")
    assert (
        token_login(api, "boss@example.org", PASSWORD, REMOTE_ADDR="203.0.113.5").status_code == 429
    )
    assert (
        token_login(api, "boss@example.org", PASSWORD, REMOTE_ADDR="198.51.100.7").status_code
        == 200
    )


@pytest.mark.django_db
def test_forwarded_for_is_ignored_without_a_trusted_proxy(throttled, api):
    factories.owner(email="boss@example.org", password=PASSWORD)
    for i in range(5):
        token_login(api, "boss@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    # A client cannot dodge the lockout by inventing a new address each time.
    response = token_login(api, "boss@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@pytest.mark.django_db
def test_forwarded_for_names_the_client_behind_a_trusted_proxy(throttled, api):
    throttled.TRUSTED_PROXY_COUNT = 1
    factories.owner(email="boss@example.org", password=PASSWORD)
    for _ in range(5):
        # The proxy appends the real peer; the left part is whatever the client claimed.
        token_login(api, "boss@example.org", "wrong", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    blocked = token_login(api, "boss@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = token_login(api, "boss@example.org", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert (blocked.status_code, other.status_code) == (429, 200)


@pytest.mark.django_db
def test_login_page_locks_out_after_failures(throttled, client):
    factories.owner(email="boss@example.org", password=PASSWORD)
    for _ in range(4):
        response = client.post(
            "/accounts/login/", {"username": "boss@example.org", "password": "x"}
        )
        assert response.status_code == 200  # the form again, with an error
    response = client.post("/accounts/login/", {"username": "boss@example.org", "password": "x"})
    assert response.status_code == 429
    assert b"Too many failed logins" in response.content
    response = client.post(
        "/accounts/login/", {"username": "boss@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_oversized_json_body_is_refused_with_413(api):
    body = json.dumps({"email": "a@example.org", "password": "x" * (1024 * 1024)})
    response = api.generic("POST", "/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


@pytest.mark.django_db
def test_body_under_the_limit_is_processed(api):
    body = json.dumps({"email": "a@example.org", "password": "x" * 1000})
    response = api.generic("POST", "/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400  # read and answered: wrong credentials
