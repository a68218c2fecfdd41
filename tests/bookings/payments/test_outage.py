"""Stripe unreachable while a client books the paid session: a hold and a pay link, never a 500."""

from urllib.parse import urlsplit

from bookings.models import Booking, Payment
from tests.fixtures.stripe import free_port

TUE_9 = "2026-06-02T09:00:00-04:00"


def test_booking_create_paid_service_during_a_stripe_outage_is_held_with_a_pay_link(
    guest_booking, desk, monday, settings, client
):
    settings.STRIPE_SECRET_KEY = "sk_test_outage"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_outage"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    response = guest_booking(service="private-session", start=TUE_9)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "held"
    payment = body["payment"]
    assert payment["status"] == "unavailable"
    assert payment["payment_intent"] is None and payment["client_secret"] is None
    assert payment["amount"] == 2500 and payment["pay_url"]
    assert Booking.objects.get(pk=body["id"]).status == "held"
    assert not Payment.objects.exists()

    page = client.get(urlsplit(payment["pay_url"]).path)

    assert page.status_code == 200
    assert "Card payments are unavailable for a moment" in page.content.decode()
