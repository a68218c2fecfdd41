"""In Chromium, on a phone (390 px) and a desktop (1280 px): the owner's settings, reports, the
staff booking form and a booking's money; selecting an empty time on the schedule opens the
booking form; a desk payment recorded with the keyboard. No page logs a JavaScript error (the
`page` fixture fails the test on one). Screenshots go to $SHOTS_DIR when it is set."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import login, page_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "tonic-demo-2026"


def shoot(page, name: str, width: int) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"wo-{name}-{width}.png"), full_page=True)


def paid_booking():
    """A demo client's private session two days ahead (pay at the studio)."""
    from accounts.models import User
    from bookings.models import Service
    from tests import factories

    sydney = User.objects.get(email="sydney@example.com").specialist
    hannah = User.objects.get(email="client@example.com").client
    service = Service.objects.get(slug="private-session")
    start = (timezone.now() + timedelta(days=20)).replace(hour=15, minute=0, second=0)
    return factories.BookingFactory(
        client=hannah, specialist=sydney, service=service, start=start, care_team=False,
        payment_method="in_studio",
    )  # fmt: skip


@pytest.mark.parametrize("width", [390, 1280])
def test_owner_pages_fit_and_log_no_error(page, live_server, demo, width):
    booking = paid_booking()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, live_server, "owner@example.com", PASSWORD)
    pages = {
        "settings": "/studio/settings/",
        "settings-services": "/studio/settings/services/",
        "settings-service": "/studio/settings/services/private-session/",
        "settings-staff": "/studio/settings/staff/",
        "reports": "/studio/reports/",
        "staff-book": f"/studio/book/?client={booking.client_id}",
        "staff-booking": f"/studio/bookings/{booking.pk}/",
        "client-booking": f"/bookings/manage/{booking.manage_token}/",
        "book-details": "/book/private-session/details/?start="
        + (booking.start + timedelta(days=1)).isoformat().replace("+", "%2B"),
    }
    for name, path in pages.items():
        assert page.goto(live_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")
        assert page_width(page) <= width, name
        shoot(page, name, width)
    page.goto(live_server.url + pages["book-details"])
    expect(page.locator("[data-payment-note]")).to_contain_text(
        "Payment is taken at the studio: $95.00"
    )
    page.goto(live_server.url + "/studio/reports/")
    expect(page.locator("canvas.payments-chart")).to_be_visible()


def test_selecting_an_empty_time_opens_the_booking_form(page, live_server, demo):
    login(page, live_server, "sydney@example.com", PASSWORD)
    day = timezone.localdate() + timedelta(days=30)
    page.goto(f"{live_server.url}/studio/schedule/?date={day.isoformat()}")
    page.wait_for_load_state("networkidle")
    lane = page.locator('.fc-timegrid-slot-lane[data-time="10:00:00"]').first
    later = page.locator('.fc-timegrid-slot-lane[data-time="10:45:00"]').first
    lane.scroll_into_view_if_needed()
    start, end = lane.bounding_box(), later.bounding_box()
    x = start["x"] + 40  # inside the week's first day (the lane starts after the hours axis)
    page.mouse.move(x, start["y"] + 3)
    page.mouse.down()
    page.mouse.move(x, end["y"] + 3, steps=5)
    page.mouse.up()
    page.wait_for_url("**/studio/book/**")
    monday = day - timedelta(days=day.weekday())  # the week view's first column
    expect(page.get_by_label("Starts")).to_have_value(f"{monday.isoformat()}T10:00")
    shoot(page, "staff-book-from-schedule", 1280)


def test_desk_payment_recorded_with_the_keyboard(page, live_server, demo):
    booking = paid_booking()
    login(page, live_server, "owner@example.com", PASSWORD)
    page.goto(f"{live_server.url}/studio/bookings/{booking.pk}/")
    amount = page.get_by_label("Amount (USD, at most $95.00)").first
    amount.focus()
    page.keyboard.type("95.00")
    page.keyboard.press("Tab")  # to "How"
    page.get_by_label("How").first.select_option("card_terminal")
    page.get_by_role("button", name="Record payment").press("Enter")
    expect(page.locator(".flash").first).to_contain_text("Recorded $95.00 taken at the studio")
    expect(page.locator('[data-money="balance_due"]')).to_have_attribute("data-minor", "0")
    shoot(page, "staff-booking-paid", 1280)
