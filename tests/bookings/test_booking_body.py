"""A booking's API body is written out by hand (bookings/api/serializers.py, for speed): it must
equal DRF's own rendering of the declared fields, field for field, in every state and for every
audience."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.api.serializers import BookingCreatedSerializer, BookingSerializer
from bookings.money import payments_none_yet
from tests import factories

pytestmark = pytest.mark.django_db

CONTEXTS = [{}, {"token_holder": True}, {"guest_name": "Ana Typed"}]


def _bookings():
    now = timezone.now()
    service = factories.ServiceFactory(price=4500, deposit=1500)
    start = (now + timedelta(days=2)).replace(microsecond=123456)
    return [
        factories.BookingFactory(),
        factories.BookingFactory(
            service=service,
            start=start,
            status="held",
            hold_expires_at=now + timedelta(minutes=15),
            payment_method="stripe",
        ),
        factories.BookingFactory(
            service=service,
            status="cancelled",
            cancelled_at=now,
            late_cancellation=True,
            sequence=3,
        ),
        factories.BookingFactory(status="no_show", payment_method="in_studio"),
    ]


@pytest.mark.parametrize("context", CONTEXTS)
def test_the_written_out_body_equals_drfs_field_by_field(context):
    for booking in _bookings():
        serializer = BookingSerializer(booking, context=dict(context))
        fast = serializer.data
        assert list(fast) == list(serializer.drf_representation(booking))
        assert fast == serializer.drf_representation(booking)
        assert isinstance(fast["status"], str) and type(fast["status"]) is str


@pytest.mark.parametrize(
    "payment",
    [None, {"method": "stripe", "payment_intent": "pi_1", "amount": 1500, "currency": "USD"}],
)
def test_the_created_body_equals_drfs_with_or_without_a_payment(payment):
    for booking in _bookings():
        booking.payment = payment
        payments_none_yet(booking)
        for context in CONTEXTS:
            serializer = BookingCreatedSerializer(booking, context=dict(context))
            assert serializer.data == serializer.drf_representation(booking)
            assert serializer.data["manage_token"] == booking.manage_token
