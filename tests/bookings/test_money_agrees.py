"""One booking, one set of figures: a month of mixed bookings reads the same on the client's
page, the staff page, the client file, the e-mail, the export, the API and the reports."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Studio
from bookings.models import Booking, Payment
from bookings.notifications import booking_message
from bookings.privacy import bookings_export
from bookings.templatetags.payments_money import format_money
from tests import factories

pytestmark = pytest.mark.django_db
FIGURES = ("price", "deposit", "paid_online", "paid_in_studio", "refunded", "balance_due")
JUNE = datetime(2026, 6, 1, 13, 0, tzinfo=UTC)  # Monday 1 June 2026, 09:00 New York


def on(day: int, hour: int = 0) -> datetime:
    return JUNE + timedelta(days=day - 1, hours=hour)


def card(booking, amount, refunded=0):
    Payment.objects.create(
        booking=booking,
        payment_intent=f"pi_{booking.pk}",
        amount=amount,
        currency="USD",
        status=Payment.Status.PARTIALLY_REFUNDED if refunded else Payment.Status.SUCCEEDED,
        amount_refunded=refunded,
        paid_at=booking.start - timedelta(days=2),
    )


@pytest.fixture
def month(desk, api_as, time_machine):
    """June 2026: free, deposit paid online, paid in full at the desk, refunded, no-show (with
    the late-cancel fee), part paid at the desk and part given back, a late cancellation."""
    time_machine.move_to(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), tick=False)
    Studio.objects.filter(pk=desk.studio.pk).update(late_cancel_fee=4000, currency="USD")
    owner = factories.owner()
    clients = [factories.ClientFactory() for _ in range(3)]

    def book(service, day, hour, client, **extra):
        return factories.BookingFactory(
            service=service, specialist=desk.specialist, client=client, start=on(day, hour), **extra
        )

    free = book(desk.consultation, 2, 0, clients[0], status="completed")
    deposit = book(desk.session, 3, 1, clients[0], payment_method="stripe")
    card(deposit, 2500)
    full_at_desk = book(desk.session, 9, 2, clients[1], status="completed")
    refunded = book(desk.session, 10, 3, clients[1], status="cancelled", payment_method="stripe")
    card(refunded, 2500, refunded=2500)
    no_show = book(desk.session, 16, 4, clients[2], status="no_show")
    part_desk = book(desk.session, 24, 5, clients[2], status="completed")
    late = book(desk.session, 30, 6, clients[0], status="cancelled", late_cancellation=True)
    api = api_as(owner)
    for booking, amount in ((full_at_desk, 9500), (part_desk, 5000)):
        r = api.post(
            f"/api/bookings/{booking.pk}/payments/",
            {"amount": amount, "method": "cash"},
            format="json",
        )
        assert r.status_code == 201, r.json()
    r = api.post(
        f"/api/bookings/{part_desk.pk}/refunds/", {"amount": 1000, "method": "cash"}, format="json"
    )
    assert r.status_code == 201, r.json()
    return owner, [free, deposit, full_at_desk, refunded, no_show, part_desk, late]


def figures(html: str) -> dict:
    """The figures a page shows in bookings/_money.html, by name."""
    found = dict(re.findall(r'data-money="(\w+)" data-minor="(\d+)"', html))
    return {name: int(found.get(name, 0)) for name in FIGURES}


def test_every_surface_shows_the_same_money(month, api_as, client):
    owner, bookings = month
    api = api_as(owner)
    client.force_login(owner)
    exported = {}
    for profile in {b.client for b in bookings}:
        exported |= {row["id"]: row["money"] for row in bookings_export(client=profile)["bookings"]}
    for booking in bookings:
        money = api.get(f"/api/bookings/{booking.pk}/").json()["money"]
        wanted = {name: money[name] for name in FIGURES}
        assert exported[booking.pk] == money, booking
        staff_page = client.get(f"/studio/bookings/{booking.pk}/").content.decode()
        assert figures(staff_page) == wanted, ("staff page", booking)
        client_page = client.get(f"/bookings/manage/{booking.manage_token}/").content.decode()
        if money["price"]:
            assert figures(client_page) == wanted, ("client page", booking)
        mail = booking_message(Booking.objects.get(pk=booking.pk), "confirmed", "client").body
        if money["price"]:
            due = format_money(money["balance_due"], "USD")
            assert f"To pay at the studio: {due}" in mail, ("e-mail", booking)
        if money["paid_online"]:
            assert f"paid online: {format_money(money['paid_online'], 'USD')}" in mail
        file_page = client.get(f"/accounts/clients/{booking.client_id}/").content.decode()
        if money["balance_due"]:
            assert f"{format_money(money['balance_due'], 'USD')} due" in file_page
    # The figures this month's bookings carry, as the test expects them.
    dues = [api.get(f"/api/bookings/{b.pk}/").json()["money"]["balance_due"] for b in bookings]
    assert dues == [0, 7000, 0, 0, 4000, 5500, 4000]


def test_reports_add_up_to_the_bookings_own_money(month, api_as):
    owner, bookings = month
    api = api_as(owner)
    monies = [api.get(f"/api/bookings/{b.pk}/").json()["money"] for b in bookings]
    total = {k: sum(m[k] for m in monies) for k in ("paid_online", "paid_in_studio", "refunded")}
    total["net"] = total["paid_online"] + total["paid_in_studio"] - total["refunded"]
    assert total == {"paid_online": 5000, "paid_in_studio": 14500, "refunded": 3500, "net": 16000}
    report = api.get("/api/reports/?start=2026-06-01&end=2026-06-30").json()
    assert report["revenue"] == total
    assert sum(w["net"] for w in report["weeks"]) == total["net"]
    assert sum(s["net"] for s in report["by_specialist"]) == total["net"]
    rows = list(
        csv.reader(
            io.StringIO(
                api.get("/api/reports/?start=2026-06-01&end=2026-06-30&format=csv").content.decode()
            )
        )
    )
    assert rows[1][3:7] == ["50.00", "145.00", "35.00", "160.00"]


def test_money_agrees_for_a_booking_rescheduled_across_a_week(month, api_as):
    """Moving a booking moves its money to the week it now falls in, nowhere else."""
    owner, bookings = month
    deposit = bookings[1]
    start, end = on(17, 1), on(17, 1) + timedelta(minutes=55)
    Booking.objects.filter(pk=deposit.pk).update(
        start=start, end=end, blocked_start=start, blocked_end=end + timedelta(minutes=5)
    )
    weeks = api_as(owner).get("/api/reports/?start=2026-06-01&end=2026-06-30").json()["weeks"]
    paid = {w["week"]: w["paid_online"] for w in weeks}
    assert paid["2026-06-01"] == 0 and paid["2026-06-15"] == 2500
