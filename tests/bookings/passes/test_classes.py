"""Credits pay for group classes: POST /api/classes/{id}/book/ {"pay_with": "credits"} takes the
class's credits from a pass that covers its class type; cancelling in time (or the studio
cancelling the class) gives them back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.classes import services as class_services
from bookings.models import Booking
from bookings.passes.models import CreditEntry
from bookings.passes.selectors import credits_balance
from tests import factories

from .conftest import grant, make_pass

pytestmark = pytest.mark.django_db


@pytest.fixture
def reformer(specialist):
    """A $32 reformer class of 4 places in five days."""
    start = (timezone.now() + timedelta(days=5)).replace(hour=15, minute=0, second=0, microsecond=0)
    [occurrence] = class_services.class_create(
        title="Reformer",
        instructor=specialist,
        start=start,
        zone="America/New_York",
        duration_minutes=50,
        capacity=4,
        price=3200,
    )
    return occurrence


@pytest.fixture
def class_pack(reformer):
    pass_type = make_pass("ten-classes")
    pass_type.class_types.add(reformer.class_type)
    return pass_type


def book(api, occurrence, **body):
    return api.post(
        f"/api/classes/{occurrence.pk}/book/", {"pay_with": "credits", **body}, format="json"
    )


def test_class_booked_with_a_credit_then_cancelled_in_time(
    api_as, client_profile, reformer, class_pack
):
    bucket = grant(client_profile, class_pack, credits=10)
    api = api_as(client_profile.user)

    response = book(api, reformer)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["payment_method"], body["payment"]) == (
        "confirmed",
        "credits",
        None,
    )
    assert credits_balance(client_id=client_profile.pk) == 9
    assert api.post(f"/api/bookings/{body['id']}/cancel/", {}, format="json").status_code == 200
    restore = CreditEntry.objects.get(kind="restore")
    assert (restore.bucket_id, restore.expires_at) == (bucket.pk, bucket.expires_at)
    assert credits_balance(client_id=client_profile.pk) == 10


def test_class_cancelled_by_the_studio_gives_every_credit_back(
    api_as, client_profile, reformer, class_pack, owner_user
):
    grant(client_profile, class_pack, credits=1)
    assert book(api_as(client_profile.user), reformer).status_code == 201

    class_services.occurrence_cancel(occurrence=reformer, by=owner_user)

    assert credits_balance(client_id=client_profile.pk) == 1


def test_class_costs_its_credits_from_one_grant(api_as, client_profile, reformer, class_pack):
    reformer.credits = 2
    reformer.save()
    grant(client_profile, class_pack, credits=1, expires_in=timedelta(days=10))
    grant(client_profile, class_pack, credits=3, expires_in=timedelta(days=20))

    assert book(api_as(client_profile.user), reformer).status_code == 201

    consume = CreditEntry.objects.get(kind="consume")
    assert consume.amount == -2 and consume.bucket.amount == 3
    assert credits_balance(client_id=client_profile.pk) == 2


def test_class_not_covered_by_the_pass_is_409_and_keeps_the_place(api_as, client_profile, reformer):
    grant(
        client_profile, make_pass("private-pack", services=[factories.ServiceFactory()]), credits=5
    )

    response = book(api_as(client_profile.user), reformer)

    assert response.status_code == 409 and response.json()["code"] == "no_credits"
    assert not Booking.objects.filter(occurrence=reformer).exists()
    assert credits_balance(client_id=client_profile.pk) == 5


def test_class_with_credits_needs_a_login(api, reformer, class_pack):
    response = book(api, reformer, name="Gail Guest", email="gail@example.org")

    assert response.status_code == 401
    assert not Booking.objects.exists()


def test_class_page_books_with_a_credit_in_one_tap(client, client_profile, reformer, class_pack):
    grant(client_profile, class_pack, credits=3)
    client.force_login(client_profile.user)
    page = client.get(f"/classes/{reformer.pk}/book/")
    assert b"Book with 1 credit" in page.content and b"(3 left)" in page.content

    client.post(f"/classes/{reformer.pk}/book/", {"pay_with": "credits", "tz": "America/New_York"})

    booking = Booking.objects.get(occurrence=reformer)
    assert (booking.payment_method, booking.status) == ("credits", "confirmed")
    assert credits_balance(client_id=client_profile.pk) == 2
