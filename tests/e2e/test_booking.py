"""The public booking flow in a real browser on a phone in London, and what staff then see."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking
from tests.conftest import login, page_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")


def spoken(moment: datetime) -> str:
    """'Monday 30 November 2026, 2:00 PM GMT', written out independently of the app."""
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%A} {moment.day} {moment:%B %Y}, {hour}:{moment:%M} {half} {moment:%Z}"


def test_guest_in_london_books_the_free_consultation_on_a_phone(
    phone_in_london, chromium, live_server, demo
):
    page = phone_in_london
    page.goto(f"{live_server.url}/book/")
    page.get_by_role("button", name="Book Free consultation").click()
    page.get_by_role("button", name="Any specialist").click()

    # Times: the zone is the browser's own, and each time reads in it.
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    first = page.locator("a.slot").first
    expect(first).to_be_visible()
    start = datetime.fromisoformat(first.get_attribute("data-start"))
    assert start.utcoffset() == LONDON.utcoffset(start.replace(tzinfo=None))
    local = start.astimezone(LONDON)
    assert (
        first.inner_text()
        == f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"
    )
    first.click()

    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    page.get_by_label("Your name").fill("Lena London")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_role("button", name="Book Free consultation").click()

    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    expect(page.locator(".booking-summary .when")).to_have_text(spoken(local))
    assert page_width(page) <= 390
    booking = Booking.objects.select_related("specialist__user").get(
        client__user__email="lena@example.org"
    )
    assert booking.start == start and booking.status == "confirmed"

    # The specialist sees it on their schedule, drawn in New York time.
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    staff = context.new_page()
    login(staff, live_server, booking.specialist.user.email, "tonic-demo-2026")
    ny = start.astimezone(NEW_YORK)
    staff.goto(f"{live_server.url}/studio/schedule/?date={ny.date().isoformat()}")
    event = staff.locator(".fc-event", has_text="Lena London")
    expect(event).to_be_visible()
    clock = f"{ny.hour % 12 or 12}:{ny:%M}"
    expect(event).to_contain_text(re.compile(rf"\b{clock}\s?(am|AM|a)\b"))
    event_top = event.bounding_box()["y"]
    hour_row = staff.locator(f'td.fc-timegrid-slot-label[data-time="{ny:%H}:00:00"]')
    assert abs(hour_row.bounding_box()["y"] - event_top) < 30  # drawn at that hour
    context.close()


def test_guest_reschedules_then_cancels_from_the_manage_page(
    phone_in_london, live_server, demo, api
):
    day = timezone.now().date()
    slots = api.get(
        "/api/availability/",
        {
            "service": "consultation",
            "start": day + timedelta(days=2),
            "end": day + timedelta(days=8),
            "tz": "Europe/London",
        },
    ).json()["slots"]
    booked = api.post(
        "/api/bookings/",
        {
            "service": "consultation",
            "specialist": slots[0]["specialist"],
            "start": slots[0]["start"],
            "name": "Mo Manage",
            "email": "mo@example.org",
            "tz": "Europe/London",
        },
        format="json",
    ).json()
    page = phone_in_london
    page.goto(f"{live_server.url}/bookings/manage/{booked['manage_token']}/")
    page.get_by_text("Reschedule").click()
    # The booking's own time is marked, not offered.
    expect(page.locator(".slot-current")).to_have_attribute("data-start", slots[0]["start"])
    later = page.locator("button.slot").nth(3)
    expect(later).to_be_visible()
    new_start = datetime.fromisoformat(later.get_attribute("data-start"))
    local = new_start.astimezone(LONDON)
    later.click()
    # Nothing moves until the client says yes to "Move to Thu, 3 Dec, 9:00 AM?".
    question = f"Move to {local:%a}, {local:%b} {local.day}, {local.hour % 12 or 12}:{local:%M}"
    expect(page.get_by_role("dialog")).to_contain_text(question)
    page.get_by_role("button", name="Keep looking").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert Booking.objects.get(pk=booked["id"]).start == datetime.fromisoformat(slots[0]["start"])
    later.click()
    page.get_by_role("button", name="Yes, move it").click()
    expect(page.get_by_text("Your booking has moved to the new time.")).to_be_visible()
    expect(page.locator(".booking-summary .when")).to_have_text(
        spoken(new_start.astimezone(LONDON))
    )
    assert Booking.objects.get(pk=booked["id"]).start == new_start

    page.get_by_text("Cancel this booking").click()
    page.get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
    assert Booking.objects.get(pk=booked["id"]).status == "cancelled"
    assert page_width(page) <= 390
