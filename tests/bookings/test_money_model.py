"""The one money model (bookings/money.py), desk payments and refunds, and the API's `money`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Studio
from bookings.models import Booking, DeskPayment, Payment
from bookings.money import booking_money
from tests import factories

pytestmark = pytest.mark.django_db


def paid_online(booking, amount, refunded=0):
    return Payment.objects.create(
        booking=booking,
        payment_intent=f"pi_{booking.pk}_{amount}",
        amount=amount,
        currency=booking.currency,
        status=Payment.Status.SUCCEEDED,
        amount_refunded=refunded,
        paid_at=timezone.now(),
    )


@pytest.fixture
def session_booking(desk):
    """The $95 session with a $25 deposit, booked with online payment off (pay at the studio)."""
    return factories.BookingFactory(
        service=desk.session,
        specialist=desk.specialist,
        payment_method=Booking.PaymentMethod.IN_STUDIO,
    )


def test_money_of_a_deposit_booking_with_nothing_paid(session_booking):
    m = booking_money(session_booking)
    assert (m.price, m.deposit, m.paid_online, m.paid_in_studio) == (9500, 2500, 0, 0)
    assert (m.refunded, m.balance_due, m.currency) == (0, 9500, "USD")


def test_money_deposit_paid_online_leaves_the_rest_due(session_booking):
    paid_online(session_booking, 2500)
    assert booking_money(session_booking).balance_due == 7000


def test_money_a_pending_card_payment_counts_for_nothing(session_booking):
    Payment.objects.create(
        booking=session_booking, payment_intent="pi_x", amount=2500, currency="USD"
    )
    assert booking_money(session_booking).paid_online == 0


def test_money_cancelled_in_time_owes_nothing_late_owes_the_fee(session_booking):
    studio = Studio.get()
    studio.late_cancel_fee = 4000
    studio.save()
    session_booking.status = Booking.Status.CANCELLED
    assert booking_money(session_booking).balance_due == 0
    session_booking.late_cancellation = True
    assert booking_money(session_booking).balance_due == 4000
    session_booking.status = Booking.Status.NO_SHOW
    session_booking.late_cancellation = False
    paid_online(session_booking, 2500)
    assert booking_money(session_booking).balance_due == 1500


def test_money_of_a_free_booking_is_all_zero(desk):
    booking = factories.BookingFactory(service=desk.consultation, specialist=desk.specialist)
    m = booking_money(booking)
    assert m.as_dict() == {
        "currency": "USD",
        "price": 0,
        "deposit": 0,
        "paid_online": 0,
        "paid_in_studio": 0,
        "refunded": 0,
        "balance_due": 0,
    }


# --- desk payments through the API ----------------------------------------------------------


def test_desk_payment_recorded_with_who_and_when(api_as, session_booking):
    staff = session_booking.specialist.user
    r = api_as(staff).post(
        f"/api/bookings/{session_booking.pk}/payments/",
        {"amount": 9500, "method": "card_terminal", "note": "paid on arrival"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["money"]["paid_in_studio"] == 9500
    assert body["money"]["balance_due"] == 0
    assert body["by"] == staff.pk and body["created"]
    row = DeskPayment.objects.get()
    assert (row.by, row.method, row.amount) == (staff, "card_terminal", 9500)
    assert session_booking.events.filter(kind="desk_payment").exists()


def test_desk_overpaying_is_refused(api_as, session_booking):
    paid_online(session_booking, 2500)
    api = api_as(session_booking.specialist.user)
    r = api.post(
        f"/api/bookings/{session_booking.pk}/payments/",
        {"amount": 7001, "method": "cash"},
        format="json",
    )
    assert r.status_code == 400
    assert "amount" in r.json()
    assert not DeskPayment.objects.exists()
    r = api.post(
        f"/api/bookings/{session_booking.pk}/payments/",
        {"amount": 7000, "method": "cash"},
        format="json",
    )
    assert r.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 0, "method": "cash"},
        {"amount": -5, "method": "cash"},
        {"amount": 100, "method": "cheque"},
        {"method": "cash"},
        {"amount": "ten", "method": "cash"},
    ],
)
def test_desk_payment_bad_input_is_400_with_field_errors(api_as, session_booking, body):
    r = api_as(session_booking.specialist.user).post(
        f"/api/bookings/{session_booking.pk}/payments/", body, format="json"
    )
    assert r.status_code == 400
    assert set(r.json()) & {"amount", "method"}


def test_desk_payments_are_404_for_clients_and_other_care_teams(api_as, api, session_booking):
    url = f"/api/bookings/{session_booking.pk}/payments/"
    body = {"amount": 100, "method": "cash"}
    assert api.post(url, body, format="json").status_code == 401
    assert api_as(session_booking.client.user).post(url, body, format="json").status_code == 404
    outsider = factories.SpecialistFactory().user
    assert api_as(outsider).post(url, body, format="json").status_code == 404
    assert api_as(factories.owner()).post(url, body, format="json").status_code == 201


def test_desk_refund_only_of_desk_money(api_as, session_booking):
    owner = factories.owner()
    api = api_as(owner)
    paid_online(session_booking, 2500)
    url = f"/api/bookings/{session_booking.pk}/refunds/"
    r = api.post(url, {"amount": 100, "method": "cash"}, format="json")
    assert r.status_code == 400  # the card money refunds through Stripe, not the desk
    api.post(
        f"/api/bookings/{session_booking.pk}/payments/",
        {"amount": 7000, "method": "cash"},
        format="json",
    )
    r = api.post(url, {"amount": 3000, "method": "cash", "note": "price error"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["money"] == {
        "currency": "USD",
        "price": 9500,
        "deposit": 2500,
        "paid_online": 2500,
        "paid_in_studio": 7000,
        "refunded": 3000,
        "balance_due": 3000,
    }
    assert api.post(url, {"amount": 4001, "method": "cash"}, format="json").status_code == 400


def test_desk_refund_by_another_specialist_on_the_team_is_403(api_as, session_booking):
    colleague = factories.SpecialistFactory()
    factories.on_care_team(session_booking.client, colleague)
    url = f"/api/bookings/{session_booking.pk}/refunds/"
    r = api_as(colleague.user).post(url, {"amount": 1, "method": "cash"}, format="json")
    assert r.status_code == 403


def test_api_booking_answers_carry_money(api_as, session_booking):
    paid_online(session_booking, 2500)
    api = api_as(session_booking.client.user)
    detail = api.get(f"/api/bookings/{session_booking.pk}/").json()
    assert detail["money"]["balance_due"] == 7000
    assert api.get("/api/bookings/").json()[0]["money"] == detail["money"]


def test_api_booking_list_money_in_constant_queries(api_as, desk, django_assert_max_num_queries):
    owner = factories.owner()
    for i in range(6):
        booking = factories.BookingFactory(
            service=desk.session,
            specialist=desk.specialist,
            start=timezone.now() + timedelta(days=2, hours=i * 2),
        )
        paid_online(booking, 2500)
    with django_assert_max_num_queries(12):
        rows = api_as(owner).get("/api/bookings/").json()
    assert [r["money"]["paid_online"] for r in rows] == [2500] * 6
