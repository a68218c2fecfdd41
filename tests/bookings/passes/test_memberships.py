"""Memberships through Stripe Subscriptions (localstripe: Customer, Product, Plan,
Subscription): credits per period on a paid invoice, once; a failed renewal pauses credit
booking and tells the client; unlimited memberships book without consuming."""

import pytest
import stripe
from django.core import mail
from django.utils import timezone

from bookings.passes.ledger import NoCredits, credit_consume
from bookings.passes.models import CreditEntry, Purchase
from bookings.passes.selectors import credits_balance
from tests import factories

from .conftest import make_pass

pytestmark = [pytest.mark.stripe, pytest.mark.django_db]
URL = "/webhooks/stripe/"


def post(client, stripe_on, body: bytes):
    return client.post(
        URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=stripe_on.sign(body)
    )


def card(stripe_on, number="4242424242424242") -> str:
    return stripe_on.client.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"},
        }
    ).id


@pytest.fixture
def monthly(mat_class):
    return make_pass(
        "monthly-8",
        name="Monthly 8",
        kind="membership",
        credits=8,
        price=12000,
        services=[mat_class],
    )


def subscribe(api_as, stripe_on, user, slug="monthly-8") -> Purchase:
    bought = api_as(user).post(f"/api/passes/{slug}/buy/").json()
    payment = bought["payment"]
    assert payment["customer"].startswith("cus_") and payment["setup_intent"].startswith("seti_")
    assert payment["subscription"] is None
    assert credits_balance(client_id=user.client.pk) == 0  # nothing before Stripe is paid
    response = api_as(user).post(
        f"/api/purchases/{bought['purchase']}/subscribe/",
        {"payment_method": card(stripe_on)},
        format="json",
    )
    assert response.status_code == 200, response.json()
    return Purchase.objects.get(pk=bought["purchase"])


def renewal_invoice(stripe_on, purchase: Purchase):
    """What Stripe does each period: an invoice for the subscription, charged to the card."""
    client = stripe_on.client
    client.v1.invoice_items.create(
        params={"customer": purchase.stripe_customer, "amount": purchase.amount, "currency": "usd"}
    )
    invoice = client.v1.invoices.create(
        params={"customer": purchase.stripe_customer, "subscription": purchase.stripe_subscription}
    )
    try:
        client.v1.invoices.pay(invoice.id)
    except stripe.StripeError:  # a declined card: the invoice stays open
        pass
    return client.v1.invoices.retrieve(invoice.id)


def test_membership_invoice_paid_grants_once_per_period(
    client, api_as, stripe_on, client_profile, monthly
):
    purchase = subscribe(api_as, stripe_on, client_profile.user)
    first = stripe_on.client.v1.invoices.retrieve(
        stripe_on.client.v1.subscriptions.retrieve(purchase.stripe_subscription).latest_invoice
    )
    assert first.status == "paid"
    assert (purchase.status, credits_balance(client_id=client_profile.pk)) == ("active", 8)

    paid = stripe_on.event("invoice.paid", first.to_dict(), event_id="evt_inv_1")
    also = stripe_on.event("invoice.payment_succeeded", first.to_dict())
    answers = [post(client, stripe_on, body).status_code for body in (paid, paid, paid, also)]
    assert answers == [200] * 4
    assert credits_balance(client_id=client_profile.pk) == 8

    second = renewal_invoice(stripe_on, purchase)  # the next month
    renewed = stripe_on.event("invoice.paid", second.to_dict())
    for _ in range(3):
        assert post(client, stripe_on, renewed).status_code == 200

    grants = CreditEntry.objects.filter(kind="grant").order_by("pk")
    assert [(g.source, g.amount) for g in grants] == [(first.id, 8), (second.id, 8)]
    assert credits_balance(client_id=client_profile.pk) == 16
    assert all(g.expires_at and g.expires_at > timezone.now() for g in grants)


def test_membership_failed_renewal_pauses_credit_booking_and_tells_the_client(
    client,
    api_as,
    stripe_on,
    client_profile,
    monthly,
    mat_class,
    django_capture_on_commit_callbacks,
):
    purchase = subscribe(api_as, stripe_on, client_profile.user)
    declining = card(stripe_on, "4000000000000341")  # attaches, then every charge fails
    stripe_on.client.v1.payment_methods.attach(
        declining, params={"customer": purchase.stripe_customer}
    )
    stripe_on.client.v1.customers.update(
        purchase.stripe_customer, params={"invoice_settings": {"default_payment_method": declining}}
    )
    failed = renewal_invoice(stripe_on, purchase)
    assert failed.status == "open"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert (
                post(
                    client, stripe_on, stripe_on.event("invoice.payment_failed", failed.to_dict())
                ).status_code
                == 200
            )

    purchase.refresh_from_db()
    assert purchase.status == "past_due"
    with pytest.raises(NoCredits):
        credit_consume(
            booking=factories.BookingFactory(client=client_profile, service=mat_class), by=None
        )
    [message] = mail.outbox
    assert message.to == [client_profile.user.email] and "did not go through" in message.subject
    assert (
        api_as(client_profile.user).get("/api/credits/").json()["memberships"][0]["status"]
        == "past_due"
    )


def test_membership_unlimited_books_without_consuming(api_as, stripe_on, client_profile, mat_class):
    make_pass(
        "unlimited",
        name="Unlimited",
        kind="membership",
        credits=0,
        unlimited=True,
        price=25000,
        services=[mat_class],
    )
    purchase = subscribe(api_as, stripe_on, client_profile.user, slug="unlimited")
    assert purchase.status == "active" and purchase.current_period_end > timezone.now()

    entry = credit_consume(
        booking=factories.BookingFactory(client=client_profile, service=mat_class), by=None
    )

    assert (entry.amount, entry.purchase_id) == (0, purchase.pk)
    assert credits_balance(client_id=client_profile.pk) == 0
    assert not CreditEntry.objects.filter(kind="grant").exists()


def test_membership_cancel_from_the_api(api_as, stripe_on, client_profile, monthly):
    purchase = subscribe(api_as, stripe_on, client_profile.user)

    response = api_as(client_profile.user).post(f"/api/purchases/{purchase.pk}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert (
        stripe_on.client.v1.subscriptions.retrieve(purchase.stripe_subscription).status
        == "canceled"
    )
    assert credits_balance(client_id=client_profile.pk) == 8  # the paid month's credits stay


def test_membership_subscribe_with_a_card_stripe_refuses_is_409(
    api_as, stripe_on, client_profile, monthly
):
    bought = api_as(client_profile.user).post("/api/passes/monthly-8/buy/").json()

    response = api_as(client_profile.user).post(
        f"/api/purchases/{bought['purchase']}/subscribe/",
        {"payment_method": "pm_nope"},
        format="json",
    )
    not_saved = api_as(client_profile.user).post(f"/api/purchases/{bought['purchase']}/subscribe/")

    assert response.status_code == 409 and "Stripe refused" in response.json()["detail"]
    assert not_saved.status_code == 409
    assert Purchase.objects.get().stripe_subscription is None


def test_membership_cancel_from_the_portal(client, api_as, stripe_on, client_profile, monthly):
    purchase = subscribe(api_as, stripe_on, client_profile.user)
    client.force_login(client_profile.user)
    assert b"Cancel membership" in client.get("/portal/credits/").content

    assert client.post("/portal/credits/", {"purchase": "x"}).status_code == 404
    client.post("/portal/credits/", {"purchase": purchase.pk})

    purchase.refresh_from_db()
    assert purchase.status == "cancelled"
    assert (
        stripe_on.client.v1.subscriptions.retrieve(purchase.stripe_subscription).status
        == "canceled"
    )
