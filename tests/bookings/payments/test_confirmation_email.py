"""A hold confirmed by its payment e-mails the client the confirmation with the invite, once."""

import pytest
from django.db import transaction

from bookings.models import Booking
from bookings.payments.services import payment_start

pytestmark = [pytest.mark.stripe]
URL = "/webhooks/stripe/"


def _post(client, stripe_on, body: bytes):
    return client.post(
        URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=stripe_on.sign(body)
    )


@pytest.mark.django_db
def test_paid_hold_confirmation_email_is_sent_once_with_the_invite(
    client, stripe_on, unpaid_hold, mailoutbox, django_capture_on_commit_callbacks
):
    with transaction.atomic():
        pi = payment_start(unpaid_hold)["payment_intent"]
    stripe_on.pay(pi)
    intent = stripe_on.intent(pi).to_dict()

    body = stripe_on.event("payment_intent.succeeded", intent, event_id="evt_first")
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, stripe_on, body)
    with django_capture_on_commit_callbacks(execute=True):
        # Stripe repeats the event, and sends the same news under a new event id.
        again = _post(client, stripe_on, body)
        other = stripe_on.event("payment_intent.succeeded", intent, event_id="evt_second")
        twice = _post(client, stripe_on, other)

    assert (first.status_code, again.status_code, twice.status_code) == (200, 200, 200)
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"
    client_mail = [m for m in mailoutbox if m.to == [unpaid_hold.client.user.email]]
    assert len(client_mail) == 1
    assert client_mail[0].subject.startswith("Booking confirmed:")
    (name, ics, mime) = client_mail[0].attachments[0]
    assert name == "invite.ics" and "method=REQUEST" in mime
    assert unpaid_hold.uid in (ics.decode() if isinstance(ics, bytes) else ics)
    specialist_mail = [m for m in mailoutbox if m.to == [unpaid_hold.specialist.user.email]]
    assert len(specialist_mail) == 1
