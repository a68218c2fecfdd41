"""The booking flow by keyboard alone, and touch targets of at least 24 px (WCAG 2.2 2.5.8)
on its pages, at 390 and 1280 px."""

import pytest
from playwright.sync_api import expect

from bookings.models import Booking

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Controls that must be 24 px both ways; links inside running text are exempt (2.5.8 "inline").
CONTROLS = (
    "main button:not([hidden]), main [role=button], main input:not([type=hidden]), "
    "main select, main summary, main .slot, header a, header button, header summary"
)


def tab_to(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's text (value, label, or field name) starts with
    `text`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const e = document.activeElement;"
            " return (e.innerText || e.value || e.getAttribute('aria-label') || e.name || '')"
            ".trim(); })()"
        )
        if focused.startswith(text):
            return
    raise AssertionError(f"Tab never reached {text!r}")


def small_targets(page) -> list[str]:
    return page.locator(CONTROLS).evaluate_all(
        """els => els.filter(e => e.offsetParent !== null).map(e => {
             const r = e.getBoundingClientRect();
             return r.width < 24 || r.height < 24
               ? `${e.tagName} "${(e.innerText || e.value || '').trim()}" ${r.width}x${r.height}`
               : null;
           }).filter(Boolean)"""
    )


@pytest.fixture(params=[390, 1280], ids=["phone", "laptop"])
def keyboard_page(request, chromium):
    context = chromium.new_context(
        viewport={"width": request.param, "height": 900},
        timezone_id="America/New_York",
        locale="en-US",
    )
    page = context.new_page()
    yield page
    context.close()


def test_booking_flow_by_keyboard_alone(keyboard_page, live_server, desk):
    page = keyboard_page
    page.goto(f"{live_server.url}/book/")
    seen = []
    tab_to(page, "Choose")  # the first service's card: Consultation
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Consultation")).to_be_visible()
    seen.append(small_targets(page))
    tab_to(page, "Any specialist")
    page.keyboard.press("Enter")
    expect(page.locator(".slot").first).to_be_visible()
    seen.append(small_targets(page))
    tab_to(page, page.locator(".slot").first.inner_text())
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    seen.append(small_targets(page))
    tab_to(page, "name")
    page.keyboard.type("Kim Keyboard")
    tab_to(page, "email")
    page.keyboard.type("kim@example.org")
    tab_to(page, "Book Consultation")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    seen.append(small_targets(page))
    assert Booking.objects.get(client__user__email="kim@example.org").status == "confirmed"
    assert seen == [[], [], [], []], seen
