"""Pages of passes: who may open what, and in Chromium the whole round on a phone and a desktop
(buy a pack with the Payment Element, the credits arrive, the portal and the staff view agree,
staff adjust with a reason). Screenshots go to $SHOTS_DIR when it is set."""

import os
import urllib.request

import pytest
from playwright.sync_api import expect

from accounts.models import AuditEvent
from bookings.passes.models import CreditEntry
from tests import factories
from tests.conftest import login, page_width

from .conftest import grant

PASSWORD = "tonic-demo-2026"


@pytest.mark.django_db
def test_pages_staff_credits_follow_the_care_team_rule(client, client_profile, pack, owner_user):
    grant(client_profile, pack, credits=4)
    url = f"/accounts/clients/{client_profile.pk}/credits/"
    stranger = factories.SpecialistFactory()

    client.force_login(stranger.user)
    assert client.get(url).status_code == 404
    client.force_login(client_profile.user)
    assert client.get(url).status_code == 404
    client.force_login(owner_user)
    page = client.get(url)
    assert page.status_code == 200 and b"credit-balance" in page.content
    assert AuditEvent.objects.filter(client=client_profile, what="credits").count() == 1

    client.post(url, {"amount": "2", "reason": ""})  # no reason: refused
    client.post(url, {"amount": "2", "reason": "Studio closed on Tuesday"})

    assert list(CreditEntry.objects.filter(kind="adjust").values_list("amount", "reason")) == [
        (2, "Studio closed on Tuesday")
    ]


@pytest.mark.django_db
def test_pages_portal_credits_is_for_clients(client, client_profile, pack, owner_user):
    grant(client_profile, pack, credits=4)
    client.force_login(owner_user)
    assert client.get("/portal/credits/").status_code == 403
    client.force_login(client_profile.user)
    page = client.get("/portal/credits/")
    assert page.status_code == 200
    assert b'id="credit-balance">4<' in page.content


@pytest.mark.stripe
@pytest.mark.django_db
def test_pages_membership_card_saved_then_subscribed_from_the_pay_page(
    client, stripe_on, client_profile, mat_class
):
    from .conftest import make_pass

    make_pass(
        "monthly-8",
        name="Monthly 8",
        kind="membership",
        credits=8,
        price=12000,
        services=[mat_class],
    )
    client.force_login(client_profile.user)
    pay_page = client.post("/passes/monthly-8/buy/").url
    assert b'data-mode="setup"' in client.get(pay_page).content
    purchase = client_profile.pass_purchases.get()
    card = stripe_on.client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    )
    # What Stripe.js's confirmSetup does, then Stripe sends the client back to the page.
    stripe_on.client.v1.setup_intents.confirm(
        purchase.setup_intent, params={"payment_method": card.id}
    )

    back = client.get(f"{pay_page}?setup_intent={purchase.setup_intent}")

    assert b"Monthly" in back.content and b"You have 8 credits" in back.content
    purchase.refresh_from_db()
    assert purchase.status == "active" and purchase.stripe_subscription


def serve_stripe_js(page, stripe_on) -> None:
    """js.stripe.com is out of reach: answer with localstripe's Stripe.js stand-in."""
    with urllib.request.urlopen(f"{stripe_on.url}/js.stripe.com/v3/", timeout=5) as response:
        body = response.read()
    page.route(
        "https://js.stripe.com/v3/**",
        lambda route: route.fulfill(status=200, content_type="application/javascript", body=body),
    )


def shoot(page, name: str, width: int) -> None:
    folder = os.environ.get("SHOTS_DIR")
    assert page_width(page) <= width  # nothing sticks out
    if folder:
        page.screenshot(path=os.path.join(folder, f"wq-{name}-{width}.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.stripe
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1280])
def test_pages_client_buys_a_pack_and_staff_see_the_same_credits(
    page, live_server, stripe_on, demo, width
):
    from accounts.models import User
    from bookings.models import Booking, ClassOccurrence
    from bookings.passes.models import Purchase

    hannah = User.objects.get(email="client@example.com").client
    page.set_viewport_size({"width": width, "height": 900})
    stripe_on.deliver_to(f"{live_server.url}/webhooks/stripe/")
    serve_stripe_js(page, stripe_on)

    login(page, live_server, "client@example.com", PASSWORD)
    page.goto(f"{live_server.url}/passes/")
    expect(page.get_by_role("heading", name="10 classes")).to_be_visible()
    shoot(page, "passes", width)
    page.get_by_role("button", name="Buy 10 classes").click()
    expect(page.get_by_role("heading", name="Pay for your pass")).to_be_visible()
    expect(page.locator("#payment-element input")).not_to_have_count(0)
    expect(page.get_by_role("button", name="Pay $400.00")).to_be_enabled()
    shoot(page, "pay", width)

    stripe_on.pay(Purchase.objects.get(client=hannah).payment_intent)  # what Stripe.js does
    expect(page.get_by_role("heading", name="10 classes is yours")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("You have 10 credits to book with.")).to_be_visible()
    shoot(page, "paid", width)

    page.goto(f"{live_server.url}/portal/")
    expect(page.get_by_text("10 credits to book with")).to_be_visible()
    page.get_by_text("10 credits to book with").scroll_into_view_if_needed()
    shoot(page, "portal", width)

    page.goto(f"{live_server.url}/portal/credits/")
    expect(page.locator("#credit-balance")).to_have_text("10")
    expect(page.get_by_role("cell", name="Bought 10 classes")).to_be_visible()
    shoot(page, "portal-credits", width)

    # A reformer class (seed_demo's), booked with a credit in one tap.
    reformer = ClassOccurrence.objects.filter(class_type__slug="reformer").order_by("start")[0]
    page.goto(f"{live_server.url}/classes/{reformer.pk}/book/")
    shoot(page, "class-book", width)
    page.get_by_role("button", name="Book with 1 credit").click()
    page.wait_for_load_state("networkidle")
    assert Booking.objects.get(occurrence=reformer, client=hannah).payment_method == "credits"

    page.context.clear_cookies()
    login(page, live_server, "owner@example.com", PASSWORD)
    page.goto(f"{live_server.url}/accounts/clients/{hannah.pk}/")
    page.get_by_role("link", name="Credits, history and adjustments").click()
    expect(page.locator("#credit-balance")).to_have_text("9")
    expect(page.get_by_role("cell", name="Booked Reformer")).to_be_visible()
    page.get_by_label("Credits to add").fill("-1")
    page.get_by_label("Reason").fill("Booked at the desk by phone")
    page.get_by_role("button", name="Adjust credits").click()
    expect(page.locator("#credit-balance")).to_have_text("8")
    expect(page.get_by_role("cell", name="Booked at the desk by phone · by")).to_be_visible()
    shoot(page, "staff-credits", width)

    page.goto(f"{live_server.url}/studio/reports/")
    panel = page.locator("article", has_text="Outstanding credits")
    expect(panel).to_contain_text("$400.00")
    expect(panel).to_contain_text("8 (owed, worth $320.00")
    panel.scroll_into_view_if_needed()
    shoot(page, "reports", width)
