"""POST /webhooks/stripe/: real signatures (localstripe's own deliveries and self-signed)."""

import json
import time
import urllib.request

import pytest
from django.db import transaction

from bookings.models import Booking, BookingEvent, Payment, Refund, StripeEvent
from bookings.payments.services import payment_start

pytestmark = [pytest.mark.stripe]
URL = "/webhooks/stripe/"


def start(booking) -> str:
    with transaction.atomic():
        return payment_start(booking)["payment_intent"]


def post(client, stripe_on, body: bytes, **sign):
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=stripe_on.sign(body, **sign),
    )


def intent_event(stripe_on, pi: str, kind="payment_intent.succeeded", **kw) -> bytes:
    """The event Stripe would send, with the intent as localstripe has it now."""
    return stripe_on.event(kind, stripe_on.intent(pi).to_dict(), **kw)


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_webhook_localstripe_delivery_confirms_the_booking_once(
    stripe_on, live_server, unpaid_hold
):
    stripe_on.deliver_to(f"{live_server.url}{URL}")
    pi = start(unpaid_hold)

    stripe_on.pay(pi)  # localstripe delivers payment_intent.succeeded, signed, ~1 s later

    assert wait_for(lambda: Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed")
    event = stripe_on.client.v1.events.list(params={"type": "payment_intent.succeeded"}).data[0]
    body = json.dumps(event.to_dict()).encode()
    for _ in range(2):  # delivered twice more: three deliveries in all
        request = urllib.request.Request(
            f"{live_server.url}{URL}",
            data=body,
            headers={"Content-Type": "application/json", "Stripe-Signature": stripe_on.sign(body)},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
    payment = Payment.objects.get()
    assert (payment.payment_intent, payment.status, payment.amount) == (pi, "succeeded", 2000)
    assert payment.paid_at is not None
    assert StripeEvent.objects.filter(event_id=event.id).count() == 1
    assert BookingEvent.objects.filter(booking=unpaid_hold, kind="confirmed").count() == 1
    booking = Booking.objects.get(pk=unpaid_hold.pk)
    assert (booking.sequence, booking.payment_method) == (unpaid_hold.sequence + 1, "stripe")


@pytest.mark.django_db
def test_webhook_repeated_event_is_200_and_applied_once(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    body = intent_event(stripe_on, pi, event_id="evt_repeat")

    answers = [post(client, stripe_on, body).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"
    assert BookingEvent.objects.filter(kind="confirmed").count() == 1
    assert StripeEvent.objects.filter(event_id="evt_repeat").count() == 1


@pytest.mark.django_db
def test_webhook_success_is_re_read_from_stripe_not_trusted(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    claimed = stripe_on.intent(pi).to_dict() | {"status": "succeeded"}  # but nobody paid
    body = stripe_on.event("payment_intent.succeeded", claimed)

    assert post(client, stripe_on, body).status_code == 200

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"
    assert Payment.objects.get().paid_at is None


@pytest.mark.django_db
def test_webhook_bad_signature_is_400(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    body = intent_event(stripe_on, pi)

    response = post(client, stripe_on, body, secret="whsec_someone_else")

    assert response.status_code == 400
    assert "signature" in response.json()["detail"]
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_tampered_body_is_400(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    body = intent_event(stripe_on, pi)
    header = stripe_on.sign(body)

    response = client.post(
        URL,
        data=body.replace(b"succeeded", b"succeeded "),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )

    assert response.status_code == 400
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"


@pytest.mark.django_db
def test_webhook_stale_timestamp_is_400(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    body = intent_event(stripe_on, pi)

    response = post(client, stripe_on, body, at=time.time() - 301)

    assert response.status_code == 400
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"


@pytest.mark.django_db
def test_webhook_missing_signature_is_400(client, stripe_on):
    response = client.post(URL, data=b"{}", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'{"id": "evt_1", "type": "payment_intent.succeeded"}',
        b'{"id": "evt_2", "type": "payment_intent.succeeded", "data": {"object": {"id": 7}}}',
    ],
)
def test_webhook_malformed_body_is_400(client, stripe_on, body):
    response = post(client, stripe_on, body)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


@pytest.mark.django_db
def test_webhook_unknown_event_type_is_200_and_ignored(client, stripe_on):
    body = stripe_on.event("customer.created", {"id": "cus_1", "object": "customer"})

    response = post(client, stripe_on, body)

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}


@pytest.mark.django_db
def test_webhook_without_a_configured_secret_is_400(client, settings, stripe_on):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body = stripe_on.event("customer.created", {"id": "cus_1"})
    assert post(client, stripe_on, body).status_code == 400


@pytest.mark.django_db
def test_webhook_failure_before_success_ends_confirmed(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    failed = stripe_on.intent(pi).to_dict() | {"status": "requires_payment_method"}
    stripe_on.pay(pi)  # the second attempt succeeds
    success = intent_event(stripe_on, pi)

    # Stripe delivers the success first and the older failure last:
    assert post(client, stripe_on, success).status_code == 200
    assert (
        post(
            client, stripe_on, stripe_on.event("payment_intent.payment_failed", failed)
        ).status_code
        == 200
    )

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"
    assert Payment.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_webhook_failure_keeps_the_hold(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    with pytest.raises(Exception, match="declined|card"):
        stripe_on.pay(pi, card="4000000000000341")
    body = intent_event(stripe_on, pi, kind="payment_intent.payment_failed")

    assert post(client, stripe_on, body).status_code == 200

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"
    assert Payment.objects.get().status == "failed"


@pytest.mark.django_db
def test_webhook_refund_before_success_is_recorded_and_success_still_confirms(
    client, stripe_on, unpaid_hold
):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    refund = stripe_on.client.v1.refunds.create(params={"payment_intent": pi, "amount": 500})
    success = intent_event(stripe_on, pi)
    refunded = stripe_on.event(
        "charge.refunded", {"id": "ch_x", "object": "charge", "payment_intent": pi}
    )

    assert post(client, stripe_on, refunded).status_code == 200  # the refund arrives first
    payment = Payment.objects.get()
    assert (payment.amount_refunded, payment.paid_at) == (500, None)
    assert post(client, stripe_on, success).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", 500)
    assert payment.paid_at is not None
    assert Refund.objects.get().stripe_refund == refund.id
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"


@pytest.mark.django_db
def test_webhook_full_refund_before_success_does_not_confirm(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    stripe_on.client.v1.refunds.create(params={"payment_intent": pi})
    refunded = stripe_on.event(
        "charge.refunded", {"id": "ch_x", "object": "charge", "payment_intent": pi}
    )

    assert post(client, stripe_on, refunded).status_code == 200
    assert post(client, stripe_on, intent_event(stripe_on, pi)).status_code == 200

    assert Payment.objects.get().status == "refunded"
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"  # released when it expires


@pytest.mark.django_db
def test_webhook_for_an_intent_stripe_does_not_know_is_200(client, stripe_on):
    body = stripe_on.event(
        "payment_intent.succeeded", {"id": "pi_unknown", "object": "payment_intent"}
    )
    assert post(client, stripe_on, body).status_code == 200
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_webhook_stripe_unreachable_is_503_and_not_recorded(
    client, settings, stripe_on, unpaid_hold
):
    from tests.fixtures.stripe import free_port

    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    body = intent_event(stripe_on, pi, event_id="evt_later")
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"

    assert post(client, stripe_on, body).status_code == 503
    assert not StripeEvent.objects.exists()  # so Stripe's retry is applied

    settings.STRIPE_API_BASE = stripe_on.url
    assert post(client, stripe_on, body).status_code == 200
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"


@pytest.mark.django_db
def test_webhook_adopts_an_intent_whose_create_answer_was_lost(client, stripe_on, unpaid_hold):
    """Stripe created the intent but Tonic never stored it (the answer timed out)."""
    intent = stripe_on.client.v1.payment_intents.create(
        params={
            "amount": 2000,
            "currency": "usd",
            "metadata": {"booking": str(unpaid_hold.pk), "booking_uid": unpaid_hold.uid},
        }
    )
    stripe_on.pay(intent.id)

    assert post(client, stripe_on, intent_event(stripe_on, intent.id)).status_code == 200

    payment = Payment.objects.get()
    assert (payment.booking_id, payment.status) == (unpaid_hold.pk, "succeeded")
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"


@pytest.mark.django_db
def test_webhook_ignores_an_intent_naming_a_booking_without_its_uid(client, stripe_on, unpaid_hold):
    intent = stripe_on.client.v1.payment_intents.create(
        params={"amount": 2000, "currency": "usd", "metadata": {"booking": str(unpaid_hold.pk)}}
    )
    stripe_on.pay(intent.id)

    assert post(client, stripe_on, intent_event(stripe_on, intent.id)).status_code == 200

    assert not Payment.objects.exists()
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"
