"""The pay page, the staff payments page and refund, the payments API and the owner report."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from bookings.models import Booking, Payment
from bookings.payments.services import payment_on_cancel, payment_start
from bookings.payments.sync import payment_sync
from tests import factories
from tests.fixtures.stripe import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.stripe]


def start(booking) -> str:
    with transaction.atomic():
        return payment_start(booking)["payment_intent"]


def paid(stripe_on, booking) -> Payment:
    pi = start(booking)
    stripe_on.pay(pi)
    payment = Payment.objects.get(payment_intent=pi)
    payment_sync(payment=payment)
    payment.refresh_from_db()
    return payment


def pay_page(client, booking):
    return client.get(f"/bookings/pay/{booking.manage_token}/")


def test_pay_page_shows_the_amount_and_the_card_form(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)

    response = pay_page(client, unpaid_hold)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Pay $20.00" in html and "$45.00" in html  # deposit now, the rest at the studio
    assert f'data-client-secret="{Payment.objects.get(payment_intent=pi).client_secret}"' in html
    assert '<script src="https://js.stripe.com/v3/">' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "no inline scripts (CSP)"
    assert response["Cache-Control"].startswith("max-age=0")


def test_pay_page_without_stripe_says_pay_at_the_studio(client, settings, unpaid_hold):
    settings.STRIPE_SECRET_KEY = ""
    with transaction.atomic():
        payment_start(unpaid_hold)
    Booking.objects.filter(pk=unpaid_hold.pk).update(status="confirmed")

    html = pay_page(client, unpaid_hold).content.decode()

    assert "Pay at the studio" in html and "js.stripe.com" not in html


def test_pay_page_after_an_outage_creates_the_intent(client, settings, stripe_on, unpaid_hold):
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"
    start(unpaid_hold)
    assert "unavailable for a moment" in pay_page(client, unpaid_hold).content.decode()

    settings.STRIPE_API_BASE = stripe_on.url
    html = pay_page(client, unpaid_hold).content.decode()

    assert "Pay $20.00" in html
    assert Payment.objects.filter(booking=unpaid_hold).count() == 1


def test_pay_page_of_an_expired_hold_offers_booking_again(client, stripe_on, unpaid_hold):
    start(unpaid_hold)
    Booking.objects.filter(pk=unpaid_hold.pk).update(
        hold_expires_at=timezone.now() - timedelta(seconds=1)
    )

    html = pay_page(client, unpaid_hold).content.decode()

    assert "Your hold has expired" in html and "js.stripe.com" not in html


def test_pay_page_unknown_token_is_404(client, db):
    assert client.get("/bookings/pay/not-a-token/").status_code == 404


def test_pay_status_check_re_reads_stripe_and_confirms(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    url = f"/bookings/pay/{unpaid_hold.manage_token}/status/"
    assert client.get(url).json() == {"status": "held", "payment": "pending"}
    stripe_on.pay(pi)

    assert client.get(url).json()["status"] == "held"  # no webhook yet, no check asked
    assert client.get(url + "?check=1").json() == {"status": "confirmed", "payment": "succeeded"}

    assert "Booking confirmed" in pay_page(client, unpaid_hold).content.decode()


def test_pay_page_back_from_a_redirect_confirms(client, stripe_on, unpaid_hold):
    pi = start(unpaid_hold)
    stripe_on.pay(pi)

    response = client.get(
        f"/bookings/pay/{unpaid_hold.manage_token}/?payment_intent={pi}&redirect_status=succeeded"
    )

    assert "Booking confirmed" in response.content.decode()


def test_staff_refund_from_the_booking_payments_page(client, stripe_on, unpaid_hold):
    payment = paid(stripe_on, unpaid_hold)
    client.force_login(factories.owner(email="owner@example.org"))
    url = f"/bookings/{unpaid_hold.pk}/payments/"
    assert payment.payment_intent in client.get(url).content.decode()

    response = client.post(
        url,
        {"payment": payment.pk, "amount": "5.00", "reason": "Late start", "confirm": "yes"},
        follow=True,
    )

    assert "Refunded $5.00." in response.content.decode()
    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [500]
    payment.refresh_from_db()
    assert (payment.amount_refunded, payment.status) == (500, "partially_refunded")
    assert payment.refunds.get().reason == "Late start"


@pytest.mark.parametrize("who", ["client", "other_specialist"])
def test_booking_payments_page_is_404_for_others(client, stripe_on, unpaid_hold, who):
    user = unpaid_hold.client.user if who == "client" else factories.SpecialistFactory().user
    client.force_login(user)
    assert client.get(f"/bookings/{unpaid_hold.pk}/payments/").status_code == 404


def test_api_refund_by_the_owner(api_as, stripe_on, unpaid_hold):
    payment = paid(stripe_on, unpaid_hold)
    api = api_as(factories.owner(email="owner@example.org"))

    response = api.post(
        f"/api/payments/{payment.pk}/refund/", {"reason": "goodwill"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["amount"] == 2000
    assert response.json()["refund"]["stripe_refund"].startswith("re_")
    again = api.post(f"/api/payments/{payment.pk}/refund/", {}, format="json")
    assert again.status_code == 409
    assert [r.amount for r in stripe_on.refunds(payment.payment_intent)] == [2000]


def test_api_refund_errors(api_as, stripe_on, unpaid_hold):
    payment = paid(stripe_on, unpaid_hold)
    owner = api_as(factories.owner(email="owner@example.org"))
    unpaid = Payment.objects.get(payment_intent=start(factories.BookingFactory(
        service=unpaid_hold.service, status="held",
        hold_expires_at=timezone.now() + timedelta(minutes=5),
    )))  # fmt: skip

    too_much = owner.post(f"/api/payments/{payment.pk}/refund/", {"amount": 2001}, format="json")
    assert too_much.status_code == 400 and "amount" in too_much.json()
    assert owner.post(f"/api/payments/{unpaid.pk}/refund/", {}, format="json").status_code == 409
    client_api = api_as(unpaid_hold.client.user)
    assert (
        client_api.post(f"/api/payments/{payment.pk}/refund/", {}, format="json").status_code == 404
    )
    assert owner.post("/api/payments/999999/refund/", {}, format="json").status_code == 404


def test_api_payments_a_client_sees_only_their_own(api_as, stripe_on, unpaid_hold):
    mine = paid(stripe_on, unpaid_hold)
    theirs = paid(stripe_on, factories.BookingFactory(
        service=unpaid_hold.service, status="held",
        hold_expires_at=timezone.now() + timedelta(minutes=5),
    ))  # fmt: skip
    api = api_as(unpaid_hold.client.user)

    assert [p["id"] for p in api.get("/api/payments/").json()["results"]] == [mine.pk]
    assert api.get(f"/api/payments/{theirs.pk}/").status_code == 404
    assert api.get("/api/payments/?booking=x").status_code == 400


def test_owner_report_shows_full_refund_outside_and_deposit_kept_inside(
    client, stripe_on, django_capture_on_commit_callbacks
):
    service = factories.ServiceFactory(slug="private-session", price=6500, deposit=2000)
    sydney = factories.SpecialistFactory(user__first_name="Sydney", user__last_name="Reed")
    bookings = [
        factories.BookingFactory(
            service=service,
            specialist=sydney,
            status="held",
            start=timezone.now() + timedelta(days=2 + i),
            hold_expires_at=timezone.now() + timedelta(minutes=15),
        )  # fmt: skip
        for i in range(2)
    ]
    for booking, late in zip(bookings, [False, True], strict=True):
        paid(stripe_on, booking)
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            Booking.objects.filter(pk=booking.pk).update(status="cancelled", late_cancellation=late)
            booking.refresh_from_db()
            payment_on_cancel(booking, None)
    client.force_login(factories.owner(email="owner@example.org"))

    html = client.get("/studio/reports/").content.decode()

    assert "Revenue by week" in html and "Revenue by specialist" in html
    assert "Outstanding holds" in html and "Refunds and cancellations" in html
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Cancelled in time: full refund $20.00 $20.00 $0.00" in text  # paid, refunded, kept
    assert "Late cancellation: nothing refunded $20.00 $0.00 $20.00" in text
    assert "Total (USD) $20.00 $20.00" in text  # refunded, kept
    assert "Sydney Reed $20.00 $20.00" in text  # net card revenue, refunded


def test_owner_report_lists_outstanding_holds(client, stripe_on, unpaid_hold):
    start(unpaid_hold)
    client.force_login(factories.owner(email="owner@example.org"))

    html = client.get("/studio/reports/").content.decode()

    assert unpaid_hold.client.name in html and "$20.00" in html


def test_owner_report_queries_do_not_grow_with_data(
    client, stripe_on, django_assert_max_num_queries, unpaid_hold
):
    client.force_login(factories.owner(email="owner@example.org"))
    paid(stripe_on, unpaid_hold)
    with django_assert_max_num_queries(40) as few:
        client.get("/studio/reports/")
    for _ in range(4):
        paid(stripe_on, factories.BookingFactory(
            service=unpaid_hold.service, status="held",
            hold_expires_at=timezone.now() + timedelta(minutes=5),
        ))  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/studio/reports/")


def test_report_panels_are_for_the_owner_only(client, db):
    client.force_login(factories.SpecialistFactory().user)
    assert client.get("/studio/reports/").status_code == 403


def test_pay_page_shows_times_in_the_clients_zone(client, stripe_on, unpaid_hold):
    from datetime import UTC, datetime

    start_utc = datetime(2031, 1, 15, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST)
    Booking.objects.filter(pk=unpaid_hold.pk).update(
        start=start_utc, end=start_utc + timedelta(minutes=55),
        blocked_start=start_utc, blocked_end=start_utc + timedelta(minutes=55),
    )  # fmt: skip
    unpaid_hold.client.timezone = "America/New_York"
    unpaid_hold.client.save()
    start(unpaid_hold)

    html = pay_page(client, unpaid_hold).content.decode()

    assert "Wednesday 15 January 2031" in html
    assert "10:00 AM – 10:55 AM" in html and "America/New_York" in html
