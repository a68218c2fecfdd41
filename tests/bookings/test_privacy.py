"""A client's export includes their bookings and payments; erasure blanks booking free text
but keeps times, amounts and payments (the studio's accounting)."""

from datetime import timedelta

from django.utils import timezone

from bookings.models import Booking, BookingEvent, Payment
from tests import factories


def test_client_export_and_erase_cover_bookings(api_as, owner_user):
    client = factories.ClientFactory()
    service = factories.ServiceFactory(name="Private session", price=9500, deposit=2500)
    start = (timezone.now() + timedelta(days=4)).replace(microsecond=0)
    paid = factories.BookingFactory(
        client=client, service=service, start=start, notes="Sore lower back since the fall"
    )
    Payment.objects.create(
        booking=paid, payment_intent="pi_export", amount=2500, currency="USD", status="succeeded",
        paid_at=timezone.now(),
    )  # fmt: skip
    gone = factories.BookingFactory(
        client=client, start=start + timedelta(days=7), status="cancelled"
    )
    BookingEvent.objects.create(
        booking=gone, kind="cancelled", data={"late": False, "reason": "Flare-up of my sciatica"}
    )
    factories.BookingFactory(notes="someone else's")

    data = api_as(owner_user).get(f"/api/clients/{client.pk}/export/").json()

    assert [b["id"] for b in data["bookings"]] == [paid.pk, gone.pk]
    first = data["bookings"][0]
    assert (first["service"], first["status"], first["notes"]) == (
        "Private session", "confirmed", "Sore lower back since the fall",
    )  # fmt: skip
    assert first["start"] == paid.start.isoformat()
    assert first["payments"][0]["payment_intent"] == "pi_export"
    assert first["payments"][0]["amount"] == 2500
    assert data["bookings"][1]["history"][0]["data"]["reason"] == "Flare-up of my sciatica"

    response = api_as(owner_user).post(
        f"/api/clients/{client.pk}/erase/", {"confirm": True}, format="json"
    )

    assert response.status_code == 200
    paid.refresh_from_db()
    assert paid.notes == ""
    assert (paid.price, paid.amount_due, paid.start, paid.status) == (
        9500,
        2500,
        start,
        "confirmed",
    )
    assert Payment.objects.get(booking=paid).amount == 2500
    event = BookingEvent.objects.get(booking=gone, kind="cancelled")
    assert event.data == {"late": False, "reason": ""}
    assert Booking.objects.exclude(client=client).get().notes == "someone else's"
