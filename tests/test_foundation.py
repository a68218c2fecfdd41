import pytest
from django.core.management import call_command

from accounts.models import SpecialistProfile, User

pytestmark = pytest.mark.django_db

DEMO_EMAILS = [
    "owner@example.com",
    "sydney@example.com",
    "marco@example.com",
    "client@example.com",
    "client2@example.com",
]


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


@pytest.mark.parametrize("email", DEMO_EMAILS)
def test_token_login_works_for_every_demo_user(demo, api, email):
    response = api.post(
        "/api/auth/token/", {"email": email, "password": "tonic-demo-2026"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/auth/token/").status_code == 405  # authenticated, wrong method


def test_token_login_wrong_password_is_a_json_400(demo, api):
    response = api.post(
        "/api/auth/token/", {"email": "owner@example.com", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_token_login_missing_fields_name_them(api, db):
    response = api.post("/api/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_token_login_malformed_json_is_400(api, db):
    response = api.generic("POST", "/api/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_seed_demo_is_idempotent(demo):
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(email__in=DEMO_EMAILS).count() == len(DEMO_EMAILS)
    assert SpecialistProfile.objects.count() == 2
    assert User.objects.get(email="sydney@example.com").role == "specialist"


def test_seed_demo_refuses_without_debug(settings, db):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", verbosity=0)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/docs/"])
def test_public_pages_render(client, demo, path):
    response = client.get(path)
    assert response.status_code == 200


def test_schema_is_openapi(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize(
    ("email", "path", "expected"),
    [
        ("client@example.com", "/portal/", 200),
        ("client@example.com", "/workspace/", 403),
        ("sydney@example.com", "/workspace/", 200),
        ("sydney@example.com", "/portal/", 403),
        ("sydney@example.com", "/studio/reports/", 403),
        ("owner@example.com", "/studio/reports/", 200),
        ("owner@example.com", "/studio/schedule/", 200),
    ],
)
def test_pages_are_gated_by_role(client, demo, email, path, expected):
    client.force_login(User.objects.get(email=email))
    assert client.get(path).status_code == expected


def test_dashboards_need_login(client, db):
    response = client.get("/workspace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("email", "landing"),
    [
        ("client@example.com", "/portal/"),
        ("sydney@example.com", "/workspace/"),
        ("owner@example.com", "/workspace/"),
    ],
)
def test_login_lands_on_the_roles_dashboard(client, demo, email, landing):
    response = client.post(
        "/accounts/login/", {"username": email, "password": "tonic-demo-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == landing
