"""The calendar settings page in headless Chromium, at phone and desktop widths."""

import pytest

from bookings.models import CalendarConnection, CalendarFeed
from tests.bookings.calendars import helpers as h
from tests.conftest import login
from tests.fixtures.caldav import free_port

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_calendar_settings_page_works_at_phone_and_desktop_width(
    page, live_server, ics_server, width
):
    sydney = h.specialist()
    CalendarConnection.objects.create(
        specialist=sydney,
        kind="caldav",
        name="iCloud",
        url=f"http://127.0.0.1:{free_port()}/calendars/sydney/home/",
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, sydney.user.email, "pass-word-123")
    page.goto(f"{live_server.url}/workspace/calendars/")
    assert page.get_by_role("heading", name="Calendars", exact=True).is_visible()
    assert no_horizontal_scroll(page)

    # Copy the feed link.
    feed = CalendarFeed.objects.get(user=sydney.user, kind="specialist")
    page.locator("#feed-specialist").get_by_role("button", name="Copy").click()
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/calendar/{feed.token}.ics")

    # "Sync now" on a server that is down: the card turns to failing with the reason.
    card = page.locator("article.connection", has_text="iCloud")
    card.get_by_role("button", name="Sync now").click()
    page.locator("article.connection-failing").wait_for()
    assert "Could not reach the calendar server" in card.inner_text()

    # Connect an ICS source through the form.
    page.get_by_text("Connect a calendar").click()  # folded away once a calendar exists
    page.get_by_label("ICS URL (read only)").check()
    page.get_by_label("Calendar address").fill(ics_server.publish(h.busy_ics()))
    page.get_by_label("Name (optional)").fill("Google")
    page.get_by_role("button", name="Connect", exact=True).click()
    page.wait_for_load_state("networkidle")
    google = page.locator("article.connection", has_text="Google")
    assert "Working" in google.inner_text()
    assert no_horizontal_scroll(page)

    # A new feed link, after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#feed-specialist").get_by_role("button", name="Get a new link").click()
    page.wait_for_load_state("networkidle")
    assert CalendarFeed.objects.get(pk=feed.pk).token != feed.token
    assert "New calendar link made" in page.content()
