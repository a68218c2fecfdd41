"""A client sees only their own programs and logs: anything else is a 404, as if absent."""

import pytest

from programs import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(make_program, other_client_user):
    program = make_program(other_client_user)
    practice.practice_log_record(
        program=program,
        by=other_client_user,
        date=practice.client_today(other_client_user.client),
        pain=7,
    )
    return program


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/programs/{pk}/"),
        ("patch", "/api/programs/{pk}/"),
        ("get", "/api/programs/{pk}/logs/"),
        ("post", "/api/programs/{pk}/logs/"),
        ("get", "/api/programs/{pk}/versions/"),
        ("post", "/api/programs/{pk}/publish/"),
    ],
)
def test_another_clients_program_is_a_404(api_as, client_user, theirs, method, path):
    api = api_as(client_user)
    data = {"date": practice.client_today(client_user.client).isoformat(), "pain": 1}
    response = getattr(api, method)(path.format(pk=theirs.pk), data, format="json")
    assert response.status_code == 404
    assert "7" not in response.content.decode()


def test_the_program_list_holds_only_the_callers_programs(
    api_as, make_program, client_user, theirs
):
    mine = make_program(client_user)
    rows = api_as(client_user).get("/api/programs/").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert api_as(client_user).get(f"/api/programs/?client={theirs.client_id}").json()[
        "results"
    ] == [rows[0]]


def test_staff_see_their_care_teams_programs(api_as, staff, make_program, client_user, theirs):
    make_program(client_user)
    assert api_as(staff).get("/api/programs/").json()["count"] == 2
    assert api_as(staff).get(f"/api/programs/{theirs.pk}/logs/").json()["count"] == 1


def test_anonymous_callers_get_401(api, theirs):
    assert api.get("/api/programs/").status_code == 401
    assert api.get(f"/api/programs/{theirs.pk}/").status_code == 401


@pytest.mark.parametrize(
    "path",
    ["/portal/program/{pk}/", "/portal/program/{pk}/print/"],
)
def test_another_clients_program_pages_are_404(client, client_user, theirs, path):
    client.force_login(client_user)
    assert client.get(path.format(pk=theirs.pk)).status_code == 404
    response = client.post(f"/portal/program/{theirs.pk}/log/", {"date": "2026-01-01"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/programs/",
        "/programs/new/",
        "/programs/{pk}/",
        "/programs/{pk}/print/",
        "/programs/{pk}/search/",
        "/programs/templates/",
    ],
)
def test_staff_pages_are_forbidden_to_clients(client, other_client_user, theirs, path):
    client.force_login(other_client_user)
    assert client.get(path.format(pk=theirs.pk)).status_code == 403


def test_staff_pages_send_visitors_to_login(client, theirs):
    response = client.get(f"/programs/{theirs.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
