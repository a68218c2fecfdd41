"""The week of times groups each day's starts into morning, afternoon and evening, readable on a
laptop (1280 px, two starts a row) and a phone (390 px)."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARTS = {"Morning": range(0, 12), "Afternoon": range(12, 17), "Evening": range(17, 24)}


def parts_of_last_open_day(page) -> dict[str, list[int]]:
    """{part name: local hours of its starts} for the week's last day with free times (a
    whole working day: today's may have begun)."""
    day = page.locator(".slot-day:has(.slot)").last
    expect(day).to_be_visible()
    return {
        part.get_attribute("data-part"): [
            datetime.fromisoformat(s).hour
            for s in part.locator(".slot").evaluate_all("els => els.map(e => e.dataset.start)")
        ]
        for part in day.locator(".slot-part").all()
    }


def check_parts(parts: dict[str, list[int]], expected: list[str]) -> None:
    assert list(parts) == expected
    for name, hours in parts.items():
        assert hours and all(hour in PARTS[name] for hour in hours), (name, hours)


@pytest.fixture
def laptop_in_new_york(chromium):
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="America/New_York", locale="en-US"
    )
    yield context.new_page()
    context.close()


def test_slot_grid_groups_a_laptops_day_in_two_columns(laptop_in_new_york, live_server, desk):
    page = laptop_in_new_york
    page.goto(f"{live_server.url}/book/consultation/times/?specialist={desk.specialist.pk}")
    check_parts(parts_of_last_open_day(page), ["Morning", "Afternoon"])  # 9:00-17:00 New York
    day = page.locator(".slot-day:has(.slot)").last
    first, second = day.locator(".slot").nth(0), day.locator(".slot").nth(1)
    assert first.bounding_box()["y"] == second.bounding_box()["y"]  # side by side
    assert day.bounding_box()["height"] < 900  # 31 starts no longer run off the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_slot_grid_groups_a_phones_day(phone_in_london, live_server, desk):
    page = phone_in_london
    page.goto(f"{live_server.url}/book/consultation/times/?specialist={desk.specialist.pk}")
    check_parts(parts_of_last_open_day(page), ["Afternoon", "Evening"])  # 14:00-22:00 London
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
