"""The pay page and the money report in headless Chromium.

js.stripe.com cannot be reached from the test machine, so the page's request for Stripe.js is
answered with localstripe's own Stripe.js stand-in (served by the localstripe server): the
page's script mounts a card form from it exactly as it mounts Stripe's Payment Element.
"""

import urllib.request

import pytest
from django.db import transaction
from playwright.sync_api import expect

from bookings.payments.services import payment_start
from tests import factories
from tests.conftest import page_width

pytestmark = [pytest.mark.browser, pytest.mark.stripe, pytest.mark.django_db(transaction=True)]


def serve_stripe_js(page, stripe_on) -> None:
    with urllib.request.urlopen(f"{stripe_on.url}/js.stripe.com/v3/", timeout=5) as response:
        body = response.read()
    page.route(
        "https://js.stripe.com/v3/**",
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=body),
    )


def test_pay_page_mounts_the_card_form_then_shows_the_confirmed_booking(
    page, live_server, stripe_on, unpaid_hold
):
    width = 390  # a phone; 1280 is covered by the reports test and screenshots
    page.set_viewport_size({"width": width, "height": 900})
    stripe_on.deliver_to(f"{live_server.url}/webhooks/stripe/")
    serve_stripe_js(page, stripe_on)
    with transaction.atomic():
        pi = payment_start(unpaid_hold)["payment_intent"]

    page.goto(f"{live_server.url}/bookings/pay/{unpaid_hold.manage_token}/")

    expect(page.locator("#payment-element input")).not_to_have_count(0)
    expect(page.get_by_role("button", name="Pay $20.00")).to_be_enabled()
    assert page_width(page) <= width
    stripe_on.pay(pi)  # what Stripe.js does when the client presses Pay
    expect(page.get_by_role("heading", name="Booking confirmed")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("Paid by card")).to_be_visible()


def test_pay_page_says_so_when_stripe_js_cannot_load(page, live_server, stripe_on, unpaid_hold):
    page.route(
        "https://js.stripe.com/v3/**",
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=""),
    )
    with transaction.atomic():
        payment_start(unpaid_hold)

    page.goto(f"{live_server.url}/bookings/pay/{unpaid_hold.manage_token}/")

    expect(page.get_by_text("The secure card form could not be loaded")).to_be_visible()
    expect(page.get_by_role("button", name="Pay $20.00")).to_be_disabled()


@pytest.mark.parametrize("width", [390, 1280])
def test_reports_page_draws_the_revenue_chart(page, live_server, stripe_on, unpaid_hold, width):
    from bookings.models import Payment
    from bookings.payments.sync import payment_sync
    from tests.conftest import login

    with transaction.atomic():
        pi = payment_start(unpaid_hold)["payment_intent"]
    stripe_on.pay(pi)
    payment_sync(payment=Payment.objects.get(payment_intent=pi))
    factories.owner(email="owner@example.org")
    page.set_viewport_size({"width": width, "height": 900})

    login(page, live_server, "owner@example.org", "pass-word-123")
    page.goto(f"{live_server.url}/studio/reports/")

    canvas = page.locator("canvas.payments-chart")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas.payments-chart'))"
    )
    # The "Paid online" bars: the $20 deposit in the week of its session (three days ahead).
    paid = page.evaluate(
        "Chart.getChart(document.querySelector('canvas.payments-chart')).data.datasets[0].data"
    )
    assert sorted(paid)[-1] == 20 and sum(paid) == 20
    assert page_width(page) <= width
