"""GET /api/reminders/: staff read reminders; clients are refused."""

from datetime import timedelta

from django.utils import timezone

from bookings.models import Reminder
from tests import factories
from tests.bookings.reminders.helpers import book

FIELDS = {
    "id",
    "booking",
    "kind",
    "channel",
    "status",
    "due_at",
    "sent_at",
    "attempts",
    "last_error",
}


def _start():
    return (timezone.now() + timedelta(days=5)).replace(microsecond=0)


def test_reminder_list_shows_a_bookings_reminders_to_the_owner(db, api_as, owner_user):
    mine = book(start=_start())
    other = book(start=_start() + timedelta(hours=2))
    Reminder.objects.filter(booking=mine).update(status="failed", attempts=3, last_error="SMTP 550")

    response = api_as(owner_user).get(f"/api/reminders/?booking={mine.pk}")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert rows, "the booking has reminders scheduled"
    assert {r["booking"] for r in rows} == {mine.pk}
    assert set(rows[0]) == FIELDS
    assert rows[0]["status"] == "failed" and rows[0]["attempts"] == 3
    assert rows[0]["last_error"] == "SMTP 550"
    every = api_as(owner_user).get("/api/reminders/").json()["results"]
    assert {r["booking"] for r in every} == {mine.pk, other.pk}


def test_reminder_list_limits_a_specialist_to_their_bookings(db, api_as):
    theirs = book(start=_start())
    book(start=_start() + timedelta(hours=2))

    rows = api_as(theirs.specialist.user).get("/api/reminders/").json()["results"]

    assert rows and {r["booking"] for r in rows} == {theirs.pk}


def test_reminder_list_refuses_clients_and_strangers(db, api, api_as):
    booking = book(start=_start())

    assert (
        api_as(booking.client.user).get(f"/api/reminders/?booking={booking.pk}").status_code == 403
    )
    assert api.get("/api/reminders/").status_code in (401, 403)
    stranger = factories.ClientFactory().user
    assert api_as(stranger).get("/api/reminders/").status_code == 403


def test_reminder_list_rejects_a_non_numeric_booking(db, api_as, owner_user):
    response = api_as(owner_user).get("/api/reminders/?booking=abc")

    assert response.status_code == 400
    assert "booking" in response.json()
