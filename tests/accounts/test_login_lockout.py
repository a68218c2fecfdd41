"""Failed logins lock out one address trying many names (AXES_IP_FAILURE_LIMIT), besides one
(name, address) pair (AXES_FAILURE_LIMIT), on POST /api/auth/token/ and the login page.
Before: only the pair counted, so one address could try a password on every account."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # tests.factories.UserFactory's
ATTACKER, NEIGHBOUR = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_IP_FAILURE_LIMIT = 8
    return settings


@pytest.fixture
def victim():
    return factories.ClientFactory(user__email="victim@example.org").user


def token_login(api, email, password, ip):
    body = {"email": email, "password": password}
    return api.post("/api/auth/token/", body, format="json", REMOTE_ADDR=ip)


def page_login(client, email, password, ip):
    body = {"username": email, "password": password}
    return client.post("/accounts/login/", body, REMOTE_ADDR=ip)


def test_token_login_locks_out_an_address_that_tries_many_names(throttled, api, victim):
    statuses = [
        token_login(api, f"user{i}@example.org", "guess", ATTACKER).status_code for i in range(8)
    ]
    assert statuses == [400] * 7 + [429]
    locked = token_login(api, "victim@example.org", PASSWORD, ATTACKER)  # even the right one
    assert locked.status_code == 429
    assert locked.json()["code"] == "rate_limited"
    assert token_login(api, "victim@example.org", PASSWORD, NEIGHBOUR).status_code == 200


def test_login_page_locks_out_an_address_that_tries_many_names(throttled, client, victim):
    statuses = [
        page_login(client, f"user{i}@example.org", "guess", ATTACKER).status_code for i in range(8)
    ]
    assert statuses == [200] * 7 + [429]
    assert page_login(client, "victim@example.org", PASSWORD, ATTACKER).status_code == 429
    assert "_auth_user_id" not in client.session
    assert page_login(client, "victim@example.org", PASSWORD, NEIGHBOUR).status_code == 302


def test_failures_under_the_address_limit_leave_other_names_alone(throttled, api, victim):
    """One name locked from an address (5 failures) does not lock the address for others."""
    for _ in range(5):
        token_login(api, "someone@example.org", "guess", ATTACKER)
    assert token_login(api, "someone@example.org", "guess", ATTACKER).status_code == 429
    assert token_login(api, "victim@example.org", PASSWORD, ATTACKER).status_code == 200


def test_address_failures_count_across_the_api_and_the_login_page(throttled, api, client, victim):
    for i in range(4):
        token_login(api, f"api{i}@example.org", "guess", ATTACKER)
        page_login(client, f"page{i}@example.org", "guess", ATTACKER)
    assert token_login(api, "victim@example.org", PASSWORD, ATTACKER).status_code == 429


def test_login_lockout_counts_one_spelling_per_address(throttled, api, victim):
    """Look-alike spellings of one address are one name, not five fresh ones."""
    spellings = [
        "victim@example.org",
        "VICTIM@example.org",
        "victim@example.org\u200b",
        "\uff56ictim@example.org",  # a full-width v
        " victim@EXAMPLE.org",
    ]
    statuses = [token_login(api, s, "guess", ATTACKER).status_code for s in spellings]
    assert statuses == [400, 400, 400, 400, 429]
