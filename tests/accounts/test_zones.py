"""One list of current time zones everywhere, and retired names read as their current ones
(accounts/zones.py)."""

import re
from zoneinfo import ZoneInfo, available_timezones

import pytest

from accounts.zones import canonical_zone, zone_label, zone_names
from tests import factories


@pytest.fixture
def hannah(db):
    return factories.ClientFactory(timezone="America/New_York")


RETIRED = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Europe/Kiev": "Europe/Kyiv",
    "US/Eastern": "America/New_York",
}


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


def test_zone_names_are_current_loadable_and_distinct():
    names = zone_names()
    assert not set(RETIRED) & set(names)
    assert {"UTC", "Asia/Kolkata", "Europe/Kyiv", "America/Los_Angeles"} <= set(names)
    assert len({zone_label(n) for n in names}) == len(names) < len(available_timezones()) * 0.6
    assert all(ZoneInfo(n) for n in names)


@pytest.mark.parametrize(
    ("name", "current"),
    [
        *RETIRED.items(),
        ("America/Los Angeles", "America/Los_Angeles"),
        ("Etc/UTC", "UTC"),
        ("Europe/London", "Europe/London"),
        ("Mars/Olympus", None),
        ("", None),
    ],
)
def test_canonical_zone_reads_retired_and_spaced_names(name, current):
    assert canonical_zone(name) == current


@pytest.mark.django_db
def test_profile_page_offers_the_one_list_and_stores_a_retired_name_as_current(client, hannah):
    client.force_login(hannah.user)
    page = client.get("/accounts/profile/").content.decode()
    assert options(page) == list(zone_names())
    assert "accounts/zone_picker.js" in page
    response = client.post(
        "/accounts/profile/",
        {"first_name": "Hannah", "preferred_contact": "email", "timezone": "Asia/Calcutta"},
    )
    assert response.status_code == 302
    hannah.refresh_from_db()
    assert hannah.timezone == "Asia/Kolkata"


@pytest.mark.django_db
def test_booking_times_page_offers_the_one_list_with_a_retired_name_chosen_as_current(client, desk):
    page = client.get("/book/consultation/times/?tz=Europe/Kiev").content.decode()
    assert options(page) == list(zone_names())
    assert '<option value="Europe/Kyiv" selected>' in page
    assert "data-detect" not in page  # the zone was named: the browser's does not replace it


@pytest.mark.django_db
def test_client_api_stores_a_retired_zone_under_its_current_name(api_as, hannah):
    response = api_as(hannah.user).patch(
        f"/api/clients/{hannah.pk}/", {"timezone": "Europe/Kiev"}, format="json"
    )
    assert response.status_code == 200
    hannah.refresh_from_db()
    assert hannah.timezone == "Europe/Kyiv"


@pytest.mark.django_db
def test_availability_api_answers_a_retired_zone_in_its_current_name(api, desk):
    response = api.get(
        "/api/availability/",
        {
            "service": "consultation",
            "start": "2026-06-01",
            "end": "2026-06-02",
            "tz": "Asia/Calcutta",
        },
    )
    assert response.status_code == 200
    assert response.json()["timezone"] == "Asia/Kolkata"
