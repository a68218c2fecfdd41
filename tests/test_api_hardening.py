"""Inputs the API fuzzer found: each is a clear 400, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/clients/?search=a%00b", "/api/exercises/?search=%00", "/calendar/ab%00cd.ics"],
)
def test_a_nul_character_in_the_address_is_a_400(api_as, owner_user, demo, path):
    response = api_as(owner_user).get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=abc", "offset"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=10&limit=20", "limit"),
    ],
)
def test_malformed_pagination_is_a_400_naming_the_parameter(api_as, owner_user, demo, query, field):
    response = api_as(owner_user).get(f"/api/exercises/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_pagination_past_the_end_is_an_empty_page(api_as, owner_user, demo):
    response = api_as(owner_user).get("/api/exercises/?offset=99999999999&limit=5")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_page_of_exercises_has_the_requested_size(api_as, owner_user, demo):
    body = api_as(owner_user).get("/api/exercises/?limit=5&offset=5").json()
    assert len(body["results"]) == 5
    assert body["count"] > 10
