"""Cancelling a class: every place cancelled by the studio (refunded in full) in one
transaction, each attendee told exactly once with a calendar CANCEL, nobody else's details."""

from collections import Counter

import pytest
from django.core import mail

from bookings.classes import services, waitlist
from bookings.classes.models import UnitClaim, WaitlistEntry
from bookings.classes.resources import resource_create
from bookings.models import Booking
from studio.kernel.errors import Conflict
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked_class(make_class):
    reformers = resource_create(slug="reformers", name="Reformers", units=3)
    occurrence = make_class(capacity=3, resource=reformers)
    people = [factories.ClientFactory(user__email=f"a{i}@example.org") for i in range(3)]
    for client in people:
        services.class_book(occurrence=occurrence, user=client.user)
    waitlist.waitlist_join(
        occurrence=occurrence, client=factories.ClientFactory(user__email="w@example.org")
    )
    return occurrence, people


def test_cancelling_a_class_cancels_and_tells_each_attendee_once(
    api_as, owner_user, booked_class, django_capture_on_commit_callbacks
):
    occurrence, people = booked_class
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner_user).post(
            f"/api/classes/{occurrence.pk}/cancel/", {}, format="json"
        )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    places = Booking.objects.filter(occurrence=occurrence)
    assert set(places.values_list("status", "late_cancellation")) == {("cancelled", False)}
    to_clients = Counter(
        m.to[0] for m in mail.outbox if m.to[0].startswith("a") and "cancelled" in m.subject.lower()
    )
    assert to_clients == Counter({f"a{i}@example.org": 1 for i in range(3)})
    for message in mail.outbox:
        if message.to[0].startswith("a"):
            others = {f"a{i}@example.org" for i in range(3)} - set(message.to)
            text = message.body + "".join(str(a[1]) for a in message.attachments)
            assert not any(other in text for other in others)
            assert any("METHOD:CANCEL" in str(a[1]) for a in message.attachments)
    assert not any(m.to == ["w@example.org"] for m in mail.outbox), (
        "no offers for a cancelled class"
    )
    assert WaitlistEntry.objects.get(occurrence=occurrence).status == "closed"
    assert not UnitClaim.objects.filter(active=True).exists()
    again = api_as(owner_user).post(f"/api/classes/{occurrence.pk}/cancel/", {}, format="json")
    assert again.status_code == 409


def test_a_class_cancel_is_all_or_nothing(owner_user, booked_class, monkeypatch):
    occurrence, _ = booked_class
    from bookings import services as booking_services

    real = booking_services.booking_cancel
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise Conflict("boom")
        return real(**kwargs)

    monkeypatch.setattr(booking_services, "booking_cancel", failing)
    with pytest.raises(Conflict):
        services.occurrence_cancel(occurrence=occurrence, by=owner_user)
    assert set(Booking.objects.filter(occurrence=occurrence).values_list("status", flat=True)) == {
        "confirmed"
    }
    occurrence.refresh_from_db()
    assert occurrence.status == "scheduled"


def test_clients_cannot_cancel_a_class(api_as, booked_class):
    occurrence, people = booked_class
    response = api_as(people[0].user).post(
        f"/api/classes/{occurrence.pk}/cancel/", {}, format="json"
    )
    assert response.status_code == 403
