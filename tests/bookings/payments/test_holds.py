"""Expired holds: released by a job (the slot reappears); late payments re-confirm or refund."""

import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking, BookingEvent, Payment
from bookings.payments.services import payment_start
from bookings.payments.sync import payment_holds_release
from tests import factories
from tests.fixtures.stripe import free_port

pytestmark = [pytest.mark.stripe]


def start(booking) -> str:
    with transaction.atomic():
        return payment_start(booking)["payment_intent"]


def expire(booking) -> None:
    Booking.objects.filter(pk=booking.pk).update(
        hold_expires_at=timezone.now() - timedelta(minutes=1)
    )


def blocking_in_slot(booking) -> list[int]:
    return list(
        Booking.objects.filter(
            specialist=booking.specialist,
            status__in=Booking.BLOCKING,
            blocked_start__lt=booking.blocked_end,
            blocked_end__gt=booking.blocked_start,
        ).values_list("pk", flat=True)
    )


def webhook(client, stripe_on, pi, capture):
    body = stripe_on.event("payment_intent.succeeded", stripe_on.intent(pi).to_dict())
    with capture(execute=True):
        response = client.post(
            "/webhooks/stripe/", data=body, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=stripe_on.sign(body),
        )  # fmt: skip
    assert response.status_code == 200


def release_while_stripe_is_down(settings, stripe_on, booking) -> None:
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    assert payment_holds_release()["released"] == 1
    settings.STRIPE_API_BASE = stripe_on.url


@pytest.mark.django_db
def test_hold_release_cancels_the_intent_and_frees_the_slot(stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    expire(unpaid_hold)

    assert payment_holds_release() == {"released": 1, "intents_cancelled": 0}

    booking = Booking.objects.get(pk=unpaid_hold.pk)
    assert booking.status == "cancelled" and booking.sequence == unpaid_hold.sequence + 1
    assert BookingEvent.objects.filter(booking=booking, kind="hold_released").count() == 1
    assert stripe_on.intent(pi).status == "canceled"
    assert Payment.objects.get().status == "cancelled"
    assert blocking_in_slot(booking) == []
    # The slot can be booked again (on PostgreSQL the exclusion constraint would refuse it).
    factories.BookingFactory(
        specialist=booking.specialist, service=booking.service, start=booking.start
    )


@pytest.mark.django_db
def test_hold_release_keeps_holds_that_have_not_expired(stripe_on, unpaid_hold):
    start(unpaid_hold)

    assert payment_holds_release()["released"] == 0

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "held"


@pytest.mark.django_db
def test_hold_release_confirms_a_hold_paid_before_its_webhook_arrived(stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)
    expire(unpaid_hold)

    assert payment_holds_release()["released"] == 0

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"
    assert Payment.objects.get().status == "succeeded"


@pytest.mark.django_db
def test_hold_release_during_an_outage_frees_the_slot_and_cancels_the_intent_later(
    settings, stripe_on, unpaid_hold
):
    pi = start(unpaid_hold)
    expire(unpaid_hold)

    release_while_stripe_is_down(settings, stripe_on, unpaid_hold)

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert stripe_on.intent(pi).status == "requires_payment_method"  # still open at Stripe
    assert payment_holds_release() == {"released": 0, "intents_cancelled": 1}
    assert stripe_on.intent(pi).status == "canceled"


@pytest.mark.django_db
def test_success_for_an_expired_unreleased_hold_confirms(
    client, stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    pi = start(unpaid_hold)
    expire(unpaid_hold)
    stripe_on.pay(pi)

    webhook(client, stripe_on, pi, django_capture_on_commit_callbacks)

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "confirmed"


@pytest.mark.django_db
def test_success_after_release_reconfirms_a_free_slot(
    client, settings, stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    pi = start(unpaid_hold)
    expire(unpaid_hold)
    release_while_stripe_is_down(settings, stripe_on, unpaid_hold)
    stripe_on.pay(pi)  # the client paid on a page left open

    webhook(client, stripe_on, pi, django_capture_on_commit_callbacks)

    booking = Booking.objects.get(pk=unpaid_hold.pk)
    assert booking.status == "confirmed"
    assert booking.events.filter(kind="reconfirmed").count() == 1
    assert stripe_on.refunds(pi) == []


@pytest.mark.django_db
def test_success_after_release_refunds_when_the_slot_was_taken(
    client, settings, stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    pi = start(unpaid_hold)
    expire(unpaid_hold)
    release_while_stripe_is_down(settings, stripe_on, unpaid_hold)
    other = factories.BookingFactory(
        specialist=unpaid_hold.specialist, service=unpaid_hold.service, start=unpaid_hold.start
    )
    stripe_on.pay(pi)

    webhook(client, stripe_on, pi, django_capture_on_commit_callbacks)

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert Booking.objects.get(pk=other.pk).status == "confirmed"
    assert [r.amount for r in stripe_on.refunds(pi)] == [2000]
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_refunded) == ("refunded", 2000)


@pytest.mark.django_db
def test_success_after_a_client_cancelled_the_hold_refunds(
    client, stripe_on, unpaid_hold, django_capture_on_commit_callbacks
):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)  # paid in another tab while the client cancelled here
    Booking.objects.filter(pk=unpaid_hold.pk).update(status="cancelled")
    BookingEvent.objects.create(booking=unpaid_hold, kind="cancelled")

    webhook(client, stripe_on, pi, django_capture_on_commit_callbacks)

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert [r.amount for r in stripe_on.refunds(pi)] == [2000]


def test_hold_release_job_is_scheduled_every_minute(transactional_db):
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from studio.celery import app

    DatabaseScheduler(app=app)  # what `celery beat` does at start

    task = PeriodicTask.objects.get(task="bookings.tasks_payments.payment_holds_release_task")
    assert (task.interval.every, task.interval.period) == (60, "seconds")
    assert task.enabled


@pytest.mark.redis
def test_hold_release_job_run_by_a_worker_frees_the_slot(stripe_on, payments_worker, unpaid_hold):
    from bookings.payments.tasks import payment_holds_release_task

    pi = start(unpaid_hold)
    expire(unpaid_hold)
    assert blocking_in_slot(unpaid_hold) == [unpaid_hold.pk]

    payment_holds_release_task.apply_async(queue=payments_worker)

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and Booking.objects.get(pk=unpaid_hold.pk).status == "held":
        time.sleep(0.2)
    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert blocking_in_slot(unpaid_hold) == []
    assert stripe_on.intent(pi).status == "canceled"
    factories.BookingFactory(
        specialist=unpaid_hold.specialist, service=unpaid_hold.service, start=unpaid_hold.start
    )


@pytest.mark.django_db(transaction=True)
def test_late_success_racing_a_new_booking_of_the_slot_refunds(settings, stripe_on, unpaid_hold):
    """Another booking of the slot is being written while the late payment is applied.

    PostgreSQL: our overlap check cannot see the uncommitted row, so the exclusion constraint
    is what refuses the re-confirmation. SQLite: our IMMEDIATE transaction waits for the other
    writer, then the check sees its row. Either way: no double booking, and a refund.
    """
    import threading

    from django.db import connections

    from bookings.payments.sync import payment_sync

    pi = start(unpaid_hold)
    expire(unpaid_hold)
    release_while_stripe_is_down(settings, stripe_on, unpaid_hold)
    stripe_on.pay(pi)
    inserted, finish = threading.Event(), threading.Event()

    def other_booking():
        try:
            with transaction.atomic():
                factories.BookingFactory(
                    specialist=unpaid_hold.specialist, service=unpaid_hold.service,
                    start=unpaid_hold.start,
                )  # fmt: skip
                inserted.set()
                finish.wait(10)
        finally:
            connections.close_all()

    writer = threading.Thread(target=other_booking)
    writer.start()
    assert inserted.wait(10)
    threading.Timer(1.0, finish.set).start()  # commits while we wait on its lock

    payment_sync(payment=Payment.objects.get(payment_intent=pi))
    writer.join(10)

    assert Booking.objects.get(pk=unpaid_hold.pk).status == "cancelled"
    assert len(blocking_in_slot(unpaid_hold)) == 1
    assert [r.amount for r in stripe_on.refunds(pi)] == [2000]
