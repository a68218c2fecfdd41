"""Refunds and booking e-mails owed by a cancel are kept in the outbox until they went out.

A cancel committed while the broker is down answered 500 and its refund and e-mails were never
queued; a refund whose retries ran out was dropped. Now both are rows written with the cancel,
delivered after the commit and, whatever happened to that attempt, by the periodic sweeper.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking, Payment, Refund
from bookings.payments.services import payment_start
from bookings.payments.sync import payment_sync
from studio.kernel.outbox import outbox_sweep
from studio.models import OutboxMessage
from studio.tasks import outbox_sweep_task
from tests import factories
from tests.fixtures.stripe import free_port


def pay(stripe_on, booking) -> Payment:
    """A held booking paid at localstripe (as Stripe.js would) and applied: confirmed, paid."""
    with transaction.atomic():
        data = payment_start(booking)
    stripe_on.pay(data["payment_intent"])
    payment = Payment.objects.get(payment_intent=data["payment_intent"])
    payment_sync(payment=payment)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    return payment


@pytest.fixture
def broker_down():
    """This process's Celery app sends to a broker address where nothing listens (not eager)."""
    from studio.celery import app

    conf = app.conf
    saved = (conf.get("broker_write_url"), conf.broker_transport_options, conf.task_always_eager)

    def reconnect() -> None:  # drop the cached connection pools: the next send uses the URL
        app._pool = None
        app.amqp._producer_pool = None

    reconnect()
    # The write URL: sending uses it, and the CELERY_BROKER_URL variable does not override it.
    conf.broker_write_url = f"redis://127.0.0.1:{free_port()}/0"
    conf.broker_transport_options = {}
    conf.task_always_eager = False
    yield
    reconnect()
    conf.broker_write_url, conf.broker_transport_options, conf.task_always_eager = saved


def owed(booking) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(about=f"booking:{booking.pk}").order_by("pk")
    return [(r.kind, r.status) for r in rows]


@pytest.mark.django_db(transaction=True)
def test_cancel_while_the_broker_is_down_answers_200_and_the_sweeper_refunds_and_emails_once(
    api, stripe_on, unpaid_hold, broker_down
):
    payment = pay(stripe_on, unpaid_hold)
    OutboxMessage.objects.all().delete()  # the confirmation e-mails: not what this test is about
    mail.outbox.clear()

    response = api.post(
        f"/api/bookings/{unpaid_hold.pk}/cancel/",
        {"token": unpaid_hold.manage_token},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert owed(unpaid_hold) == [
        ("payment_refund", "pending"),
        ("booking_notify", "pending"),
        ("booking_notify", "pending"),
    ]
    assert stripe_on.refunds(payment.payment_intent) == [] and mail.outbox == []

    outbox_sweep_task.apply()  # beat's periodic task, as the worker runs it
    outbox_sweep_task.apply()  # and the next one: nothing left to do

    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]
    assert Refund.objects.filter(payment=payment).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [unpaid_hold.client.user.email, unpaid_hold.specialist.user.email]
    )
    assert all(m.subject.startswith("Booking cancelled") for m in mail.outbox)
    assert {status for _, status in owed(unpaid_hold)} == {"done"}


@pytest.mark.django_db
def test_refund_failing_at_stripe_waits_in_the_outbox_and_goes_through_when_stripe_is_back(
    api, stripe_on, unpaid_hold, settings, django_capture_on_commit_callbacks
):
    payment = pay(stripe_on, unpaid_hold)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # Stripe is down

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/bookings/{unpaid_hold.pk}/cancel/",
            {"token": unpaid_hold.manage_token},
            format="json",
        )
    assert response.status_code == 200
    refund = OutboxMessage.objects.get(kind="payment_refund")
    now = timezone.now()
    for _ in range(2):  # two more sweeps while Stripe stays down: three failures in all
        now += timedelta(hours=2)
        outbox_sweep(now=now)

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("retrying", 3)
    assert "StripeUnavailable" in refund.last_error
    assert refund.next_attempt_at > now

    settings.STRIPE_API_BASE = stripe_on.url  # Stripe is back
    outbox_sweep(now=now + timedelta(hours=2))
    outbox_sweep(now=now + timedelta(hours=4))

    refund.refresh_from_db()
    assert (refund.status, refund.attempts) == ("done", 4)
    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]
    payment.refresh_from_db()
    assert payment.amount_refunded == 2000


@pytest.mark.django_db
def test_refund_out_of_attempts_is_failed_shown_to_the_owner_and_retried_from_the_admin(
    client, stripe_on, unpaid_hold, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    payment = pay(stripe_on, unpaid_hold)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/api/bookings/{unpaid_hold.pk}/cancel/",
            {"token": unpaid_hold.manage_token},
            content_type="application/json",
        )
    for hours in (2, 4, 6):
        outbox_sweep(now=timezone.now() + timedelta(hours=hours))
    refund = OutboxMessage.objects.get(kind="payment_refund")
    assert (refund.status, refund.attempts) == ("failed", 2)  # kept, not dropped

    owner = factories.owner(email="boss@example.org")
    owner.is_staff = owner.is_superuser = True
    owner.save()
    client.force_login(owner)
    page = client.get("/studio/reports/").content.decode()
    assert "Not delivered yet" in page and "Refund" in page and "failed" in page

    settings.STRIPE_API_BASE = stripe_on.url
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            f"/{settings.ADMIN_PATH}studio/outboxmessage/",
            {"action": "deliver_again", "_selected_action": [refund.pk]},
        )

    assert answer.status_code == 302
    refund.refresh_from_db()
    assert refund.status == "done"
    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]
    assert "Not delivered yet" not in client.get("/studio/reports/").content.decode()


@pytest.mark.django_db
def test_staff_refund_while_stripe_is_down_is_owed_not_lost(
    api_as, stripe_on, unpaid_hold, settings, django_capture_on_commit_callbacks
):
    payment = pay(stripe_on, unpaid_hold)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    owner = factories.owner(email="boss@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(owner).post(
            f"/api/payments/{payment.pk}/refund/", {"amount": 500}, format="json"
        )

    assert response.status_code == 202, response.content
    assert OutboxMessage.objects.get(kind="payment_refund").status == "retrying"
    settings.STRIPE_API_BASE = stripe_on.url
    outbox_sweep(now=timezone.now() + timedelta(hours=2))
    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [500]
