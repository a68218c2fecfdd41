"""The staff client file's bookings section: upcoming and past bookings, status, payments."""

from datetime import timedelta

from django.utils import timezone

from bookings.models import Payment
from tests import factories


def _section(html: str) -> str:
    start = html.index("<h4>Upcoming</h4>")
    return html[start : html.index("Times in", start)]


def test_client_file_lists_upcoming_and_past_bookings_with_payments(client, owner_user):
    person = factories.ClientFactory()
    soon = timezone.now() + timedelta(days=2)
    session = factories.ServiceFactory(name="Private session", price=9500, deposit=2500)
    upcoming = factories.BookingFactory(client=person, service=session, start=soon)
    Payment.objects.create(
        booking=upcoming, payment_intent="pi_file", amount=2500, currency="USD",
        status="succeeded", paid_at=timezone.now(), amount_refunded=500,
    )  # fmt: skip
    factories.BookingFactory(
        client=person,
        service=factories.ServiceFactory(name="Mat class"),
        start=soon - timedelta(days=30),
        status="completed",
    )
    factories.BookingFactory(service=factories.ServiceFactory(name="Not theirs"), start=soon)
    client.force_login(owner_user)

    html = client.get(f"/accounts/clients/{person.pk}/").content.decode()

    section = _section(html)
    upcoming_part, past_part = section.split("<h4>Past</h4>")
    assert "Private session" in upcoming_part and "Confirmed" in upcoming_part
    assert "paid online $25.00" in upcoming_part and "refunded $5.00" in upcoming_part
    assert "Mat class" in past_part and "Completed" in past_part
    assert "Not theirs" not in section


def test_client_file_shows_the_care_team_every_booking_of_the_client(db, client):
    """A team member sees all of the client's bookings, a colleague's too (the care team shares
    the file); a specialist off the team gets a 404 (accounts/access.py)."""
    person = factories.ClientFactory()
    mine = factories.BookingFactory(client=person, service=factories.ServiceFactory(name="Mine"))
    factories.BookingFactory(
        client=person, service=factories.ServiceFactory(name="Colleague session")
    )
    client.force_login(mine.specialist.user)

    section = _section(client.get(f"/accounts/clients/{person.pk}/").content.decode())

    assert "Mine" in section and "Colleague session" in section
    client.force_login(factories.SpecialistFactory().user)
    response = client.get(f"/accounts/clients/{person.pk}/")
    assert response.status_code == 404 and "Colleague session" not in response.content.decode()


def test_client_file_is_not_for_clients(db, client):
    booking = factories.BookingFactory()
    client.force_login(booking.client.user)

    response = client.get(f"/accounts/clients/{booking.client.pk}/")

    assert response.status_code == 403
    assert booking.service.name not in response.content.decode()
