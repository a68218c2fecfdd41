"""API tokens (../shared/API.md, "Tokens"): one per login, logout ends the one presented, they
expire after API_TOKEN_DAYS, and a password change or reset ends every token of the user.
Before: one rest_framework.authtoken token per user, stored in clear, forever, surviving a
password change."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.tokens import MAX_TOKENS_PER_USER
from tests import factories
from tests.fixtures.workers import run_django

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


@pytest.fixture
def person():
    return factories.ClientFactory(user__email="tess@example.org").user


def login(email="tess@example.org", password=PASSWORD) -> str:
    response = APIClient().post(
        "/api/auth/token/", {"email": email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def status_with(token: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get("/api/clients/me/").status_code


def logout(token: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.post("/api/auth/logout/")


def test_token_each_login_issues_its_own_token(person):
    first, second = login(), login()
    assert first != second
    assert (status_with(first), status_with(second)) == (200, 200)


def test_token_logout_ends_only_the_token_presented(person):
    phone, laptop = login(), login()
    response = logout(phone)
    assert response.status_code == 204
    assert status_with(phone) == 401
    assert status_with(laptop) == 200
    assert logout(phone).status_code == 401  # already gone


def test_token_logout_without_a_token_is_401(api):
    response = api.post("/api/auth/logout/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_expires_after_api_token_days(person, time_machine, settings):
    assert settings.API_TOKEN_DAYS == 30
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    token = login()
    expiry = AuthToken.objects.get(user=person).expiry
    assert expiry.isoformat() == "2026-07-01T12:00:00+00:00"
    time_machine.move_to("2026-07-01T11:59:00Z", tick=False)
    assert status_with(token) == 200
    time_machine.move_to("2026-07-01T12:00:01Z", tick=False)
    assert status_with(token) == 401


def test_token_login_answers_when_the_token_expires(person, time_machine):
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    response = APIClient().post(
        "/api/auth/token/", {"email": "tess@example.org", "password": PASSWORD}, format="json"
    )
    assert response.json()["expiry"].startswith("2026-07-01T12:00:00")


def test_token_password_reset_ends_every_token(client, person):
    tokens = [login(), login()]
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    link = f"/accounts/reset/{uid}/{default_token_generator.make_token(person)}/"
    form = client.get(link, follow=True)  # Django swaps the token for a session marker
    new = "a-brand-new-passphrase-42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert [status_with(t) for t in tokens] == [401, 401]
    assert status_with(login(password=new)) == 200


def test_token_password_change_anywhere_ends_every_token(person):
    """The admin, `manage.py changepassword` and any form end with set_password() + save()."""
    token = login()
    person.set_password("another-passphrase-77")
    person.save()
    assert status_with(token) == 401


def test_token_survives_a_silent_rehash_at_login(person, settings):
    """Django re-hashes a password with the preferred hasher at login; that is no change."""
    token = login()
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    login()
    person.refresh_from_db()
    assert person.password.startswith("pbkdf2_sha256$")  # it was re-hashed
    assert status_with(token) == 200


def test_token_is_stored_only_as_a_hash(person):
    token = login()
    row = AuthToken.objects.get(user=person)
    assert token not in (row.digest, row.token_key)
    assert row.digest != token and len(row.digest) == 128


def test_token_login_keeps_a_bounded_number_of_tokens(person):
    tokens = [login() for _ in range(MAX_TOKENS_PER_USER + 2)]
    assert AuthToken.objects.filter(user=person).count() == MAX_TOKENS_PER_USER
    assert status_with(tokens[0]) == 401  # the oldest went first
    assert status_with(tokens[-1]) == 200


def test_token_that_is_not_utf8_is_401_not_500(api):
    api.credentials(HTTP_AUTHORIZATION="Token caf\xe9")
    assert api.get("/api/clients/me/").status_code == 401


def test_token_of_an_erased_client_stops_working(person, owner_user, api_as):
    token = login()
    erase = api_as(owner_user).post(
        f"/api/clients/{person.client.pk}/erase/", {"confirm": True}, format="json"
    )
    assert erase.status_code == 200
    assert status_with(token) == 401
    assert not AuthToken.objects.filter(user=person).exists()


def test_token_schema_documents_logout_and_the_token_header(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    logout_op = schema["paths"]["/api/auth/logout/"]["post"]
    assert set(logout_op["responses"]) >= {"204", "401"}
    assert logout_op["security"] == [{"tokenAuth": []}]
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["in"], scheme["name"]) == ("header", "Authorization")
    token_op = schema["paths"]["/api/auth/token/"]["post"]
    body = token_op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/TokenResponse")


def test_token_expiry_follows_api_token_days_from_the_environment(monkeypatch):
    monkeypatch.setenv("API_TOKEN_DAYS", "7")
    out = run_django("from django.conf import settings\nprint(settings.REST_KNOX['TOKEN_TTL'])\n")
    assert out.strip().splitlines()[-1] == str(timedelta(days=7))
