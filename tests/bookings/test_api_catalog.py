"""GET /api/services/ and /api/specialists/: the public catalogue."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_services_lists_active_services_with_money_and_specialists(api, desk):
    factories.ServiceFactory(slug="retired", is_active=False)
    response = api.get("/api/services/")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()}
    assert set(rows) == {"consultation", "private-session"}
    session = rows["private-session"]
    assert session["duration_minutes"] == 55
    assert (session["price"], session["deposit"], session["currency"]) == (9500, 2500, "USD")
    assert session["specialists"] == [desk.specialist.pk]


def test_specialists_lists_name_zone_and_service_slugs(api, desk):
    response = api.get("/api/specialists/")
    assert response.status_code == 200
    [row] = response.json()
    assert row["id"] == desk.specialist.pk
    assert row["name"] == desk.specialist.user.name
    assert row["timezone"] == "America/New_York"
    assert sorted(row["services"]) == ["consultation", "private-session"]


def test_inactive_specialists_are_not_listed(api, desk):
    desk.specialist.is_active = False
    desk.specialist.save()
    assert api.get("/api/specialists/").json() == []
