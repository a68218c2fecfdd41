"""The one time-zone picker in a browser whose device zone Chromium names by its retired alias."""

import pytest
from playwright.sync_api import expect

from accounts.zones import zone_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop_in_kolkata(chromium):
    """A 1280 px browser in India; fails on JavaScript errors."""
    context = chromium.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="Asia/Kolkata", locale="en-US"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def test_zone_picker_puts_the_detected_zone_first_under_its_current_name(
    laptop_in_kolkata, live_server, desk
):
    page = laptop_in_kolkata
    page.goto(f"{live_server.url}/book/consultation/times/")
    zone = page.get_by_label("Time zone", exact=True)
    expect(zone).to_have_value("Asia/Kolkata")
    values = zone.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert values[0] == "Asia/Kolkata"
    assert sorted(values) == sorted(zone_names())  # no Asia/Calcutta, no second spelling
    expect(page.locator("[data-status]")).to_have_text("Times in Asia/Kolkata. Choose one.")

    page.get_by_label("Find a zone").fill("kyiv")
    expect(zone).to_have_value("Europe/Kyiv")
    expect(page.locator("[data-status]")).to_contain_text("Europe/Kyiv")
    assert zone.locator("option:not([hidden])").count() == 1
