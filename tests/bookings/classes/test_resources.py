"""Shared rooms and equipment: places offered = min(capacity, free units); a unit is never in
two places at once, private sessions included (PostgreSQL: an exclusion constraint too)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from bookings.classes import places, resources, selectors, services
from bookings.classes.models import Resource, ServiceResource, UnitClaim
from bookings.models import Booking
from studio.kernel.errors import Conflict
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def reformers(db):
    return resources.resource_create(slug="reformers", name="Reformers", units=3)


def test_places_are_the_fewer_of_capacity_and_free_units(make_class, reformers):
    big = make_class(capacity=8, resource=reformers)
    assert selectors.places_of(big, datetime.now(UTC)).left == 3


def test_two_classes_at_once_share_the_units(make_class, reformers):
    first = make_class(capacity=2, resource=reformers)
    second = make_class(
        capacity=4, resource=reformers, start=first.start, instructor=factories.SpecialistFactory()
    )
    for client in factories.ClientFactory.create_batch(2):
        services.class_book(occurrence=first, user=client.user)
    now = datetime.now(UTC)
    assert selectors.places_of(second, now).left == 1
    services.class_book(occurrence=second, user=factories.ClientFactory().user)
    with pytest.raises(places.Full):
        services.class_book(occurrence=second, user=factories.ClientFactory().user)
    used = UnitClaim.objects.filter(active=True).values_list("unit_id", flat=True)
    assert len(used) == len(set(used)) == 3


def test_a_cancelled_place_gives_its_unit_back(make_class, reformers):
    occurrence = make_class(capacity=3, resource=reformers)
    booking, _ = services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
    from bookings.services import booking_cancel

    booking_cancel(booking=booking, by=booking.client.user)
    assert not UnitClaim.objects.filter(active=True).exists()
    assert selectors.places_of(occurrence, datetime.now(UTC)).left == 3


def test_a_private_session_needing_the_room_is_refused_when_the_room_is_taken(api, studio):
    room = resources.resource_create(
        slug="treatment-room", name="Treatment room", units=1, kind=Resource.Kind.ROOM
    )
    service = factories.ServiceFactory(slug="assessment", duration_minutes=60)
    ServiceResource.objects.create(service=service, resource=room)
    people = factories.SpecialistFactory.create_batch(2)
    for person in people:
        factories.weekday_hours(person, weekdays=range(7))
        service.specialists.add(person)
    day = (datetime.now(UTC) + timedelta(days=3)).date()
    start = datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC).isoformat()

    def book(person, email):
        body = {
            "service": "assessment",
            "specialist": person.pk,
            "start": start,
            "name": "X",
            "email": email,
        }
        return api.post("/api/bookings/", body, format="json")

    assert book(people[0], "a@example.org").status_code == 201
    second = book(people[1], "b@example.org")
    assert second.status_code == 409, second.json()
    assert Booking.objects.filter(status="confirmed").count() == 1


def test_a_class_in_a_room_refuses_a_second_class_there(make_class, studio):
    room = resources.resource_create(slug="studio", name="Studio", units=1, kind=Resource.Kind.ROOM)
    first = make_class(resource=room)
    with pytest.raises(Conflict, match="in use"):
        make_class(resource=room, start=first.start, instructor=factories.SpecialistFactory())


@pytest.mark.postgres
def test_the_database_refuses_a_unit_claimed_twice(reformers):
    """Below the lock: even a write that skips the service cannot double-use a unit."""
    assert connection.vendor == "postgresql"
    unit = reformers.unit_rows.first()
    start = datetime(2027, 1, 4, 14, tzinfo=UTC)
    UnitClaim.objects.create(unit=unit, start=start, end=start + timedelta(hours=1))
    with pytest.raises(IntegrityError, match="unit_claim_no_overlap"), transaction.atomic():
        UnitClaim.objects.create(
            unit=unit, start=start + timedelta(minutes=30), end=start + timedelta(hours=2)
        )
