"""Packs through Stripe (localstripe), with genuinely signed webhooks: credits come when Stripe
says the money arrived, exactly once, in whatever order and however often events come."""

import json
import urllib.request

import pytest

from bookings.passes.ledger import credit_consume
from bookings.passes.models import CreditEntry, Purchase
from bookings.passes.selectors import credits_balance
from tests import factories
from tests.bookings.payments.test_webhooks import wait_for

pytestmark = [pytest.mark.stripe]
URL = "/webhooks/stripe/"


def post(client, stripe_on, body: bytes):
    return client.post(
        URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=stripe_on.sign(body)
    )


def buy(api_as, user, slug="ten-classes") -> dict:
    response = api_as(user).post(f"/api/passes/{slug}/buy/", {}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_pack_bought_replayed_three_times_and_out_of_order_grants_once(
    client, api_as, stripe_on, client_profile, pack
):
    bought = buy(api_as, client_profile.user)
    pi = bought["payment"]["payment_intent"]
    assert pi.startswith("pi_") and bought["payment"]["client_secret"]
    assert stripe_on.intent(pi).metadata["purchase"] == str(bought["purchase"])
    # A signed event claiming success before anyone paid: re-read from Stripe, not trusted.
    claimed = stripe_on.intent(pi).to_dict() | {"status": "succeeded"}
    assert (
        post(client, stripe_on, stripe_on.event("payment_intent.succeeded", claimed)).status_code
        == 200
    )
    assert credits_balance(client_id=client_profile.pk) == 0

    stripe_on.pay(pi)
    paid = stripe_on.intent(pi).to_dict()
    succeeded = stripe_on.event("payment_intent.succeeded", paid, event_id="evt_pack_ok")
    stale_failure = stripe_on.event(
        "payment_intent.payment_failed", paid | {"status": "requires_payment_method"}
    )
    again = stripe_on.event("payment_intent.succeeded", paid)  # Stripe's own second event
    answers = [
        post(client, stripe_on, body).status_code
        for body in (stale_failure, succeeded, succeeded, succeeded, again)
    ]

    assert answers == [200] * 5
    assert CreditEntry.objects.filter(kind="grant").count() == 1
    assert credits_balance(client_id=client_profile.pk) == 10
    purchase = Purchase.objects.get()
    assert (purchase.status, purchase.payment_intent) == ("paid", pi)
    credits = api_as(client_profile.user).get("/api/credits/").json()
    assert credits["balance"] == 10
    [entry] = credits["entries"]
    assert (entry["kind"], entry["amount"], entry["booking"]) == ("grant", 10, None)
    assert entry["expires"] is not None


@pytest.mark.django_db(transaction=True)
def test_pack_localstripe_delivery_grants_once(stripe_on, live_server, api_as, pack):
    client_profile = factories.ClientFactory()
    stripe_on.deliver_to(f"{live_server.url}{URL}")
    pi = buy(api_as, client_profile.user)["payment"]["payment_intent"]

    stripe_on.pay(pi)  # localstripe signs and delivers payment_intent.succeeded itself

    assert wait_for(lambda: credits_balance(client_id=client_profile.pk) == 10)
    event = stripe_on.client.v1.events.list(params={"type": "payment_intent.succeeded"}).data[0]
    body = json.dumps(event.to_dict()).encode()
    for _ in range(2):
        request = urllib.request.Request(
            f"{live_server.url}{URL}",
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": stripe_on.sign(body)},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    assert CreditEntry.objects.filter(kind="grant").count() == 1


@pytest.mark.django_db
def test_pack_refunded_at_stripe_takes_back_the_unused_credits(
    client, api_as, stripe_on, client_profile, pack, mat_class
):
    pi = buy(api_as, client_profile.user)["payment"]["payment_intent"]
    stripe_on.pay(pi)
    post(
        client,
        stripe_on,
        stripe_on.event("payment_intent.succeeded", stripe_on.intent(pi).to_dict()),
    )
    for _ in range(3):
        credit_consume(
            booking=factories.BookingFactory(
                client=client_profile, service=mat_class, payment_method="credits"
            ),
            by=None,
        )

    refund = stripe_on.client.v1.refunds.create(params={"payment_intent": pi})
    body = stripe_on.event(
        "charge.refunded", {"id": "ch_x", "object": "charge", "payment_intent": pi}
    )
    for _ in range(2):
        assert post(client, stripe_on, body).status_code == 200

    assert refund.status == "succeeded"
    assert credits_balance(client_id=client_profile.pk) == 0
    taken = CreditEntry.objects.filter(kind="adjust")
    assert sum(taken.values_list("amount", flat=True)) == -7
    assert CreditEntry.objects.filter(kind="consume").count() == 3  # used credits stay used
    purchase = Purchase.objects.get()
    assert (purchase.status, purchase.amount_refunded) == ("refunded", 20000)


@pytest.mark.django_db
def test_pack_owner_refunds_through_the_api(
    client, api_as, stripe_on, client_profile, pack, owner_user
):
    bought = buy(api_as, client_profile.user)
    stripe_on.pay(bought["payment"]["payment_intent"])
    intent = stripe_on.intent(bought["payment"]["payment_intent"]).to_dict()
    post(client, stripe_on, stripe_on.event("payment_intent.succeeded", intent))

    assert (
        api_as(client_profile.user).post(f"/api/purchases/{bought['purchase']}/refund/").status_code
        == 403
    )
    response = api_as(owner_user).post(f"/api/purchases/{bought['purchase']}/refund/")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "refunded"
    assert len(stripe_on.refunds(bought["payment"]["payment_intent"])) == 1
    assert credits_balance(client_id=client_profile.pk) == 0
