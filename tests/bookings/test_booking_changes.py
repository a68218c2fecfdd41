"""Reading, cancelling, rescheduling and marking bookings through the API, and who may do it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from bookings.models import Booking, Reminder
from tests import factories

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"
TUE_9_UTC = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)


@pytest.fixture
def booked(guest_booking, desk, monday):
    """A guest's confirmed consultation on Tuesday 09:00 New York."""
    response = guest_booking(start=TUE_9)
    assert response.status_code == 201
    return response.json()


def url(booking, action=""):
    return f"/api/bookings/{booking['id']}/{action + '/' if action else ''}"


# --- reading ----------------------------------------------------------------------------------


def test_a_client_lists_and_reads_only_their_own_bookings(api_as, booked, desk):
    owner = Booking.objects.get(pk=booked["id"]).client.user
    stranger = factories.ClientFactory().user
    mine = api_as(owner).get("/api/bookings/")
    assert [row["id"] for row in mine.json()] == [booked["id"]]
    assert api_as(owner).get(url(booked)).status_code == 200
    assert api_as(stranger).get("/api/bookings/").json() == []
    assert api_as(stranger).get(url(booked)).status_code == 404


def test_staff_list_every_booking_filtered(api_as, booked, desk, guest_booking):
    other = factories.SpecialistFactory()
    factories.weekday_hours(other)
    desk.consultation.specialists.add(other)
    guest_booking(start=TUE_9, specialist=other.pk, email="b@example.org")
    # A specialist lists their care teams' clients' bookings (each guest here is a new client,
    # whose team is the booking's specialist); the owner lists the studio's.
    assert len(api_as(desk.specialist.user).get("/api/bookings/").json()) == 1
    staff = api_as(factories.owner())
    assert len(staff.get("/api/bookings/").json()) == 2
    only = staff.get("/api/bookings/", {"specialist": other.pk}).json()
    assert [row["specialist"] for row in only] == [other.pk]
    assert staff.get("/api/bookings/", {"status": "cancelled"}).json() == []
    assert (
        len(staff.get("/api/bookings/", {"start": "2026-06-02", "end": "2026-06-03"}).json()) == 2
    )
    assert staff.get("/api/bookings/", {"start": "2026-06-03"}).json() == []
    assert staff.get("/api/bookings/", {"start": "yesterday"}).status_code == 400
    assert staff.get("/api/bookings/", {"status": "lost"}).status_code == 400


def test_anonymous_list_is_401_and_detail_needs_the_token(api, booked):
    assert api.get("/api/bookings/").status_code == 401
    assert api.get(url(booked)).status_code == 401
    assert api.get(url(booked), {"token": "wrong"}).status_code == 404
    assert api.get(url(booked), {"token": booked["manage_token"]}).status_code == 200


# --- cancel -----------------------------------------------------------------------------------


def test_guest_cancels_with_the_token_and_twice_is_409(
    api, booked, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(booked, "cancel"), {"token": booked["manage_token"]}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["late_cancellation"] is False  # more than 24 h ahead
    booking = Booking.objects.get(pk=booked["id"])
    assert booking.sequence == 1
    assert list(booking.events.values_list("kind", flat=True)) == ["created", "cancelled"]
    assert set(Reminder.objects.filter(booking=booking).values_list("status", flat=True)) == {
        "cancelled"
    }
    assert any("Booking cancelled" in m.subject for m in mail.outbox)
    again = api.post(url(booked, "cancel"), {"token": booked["manage_token"]}, format="json")
    assert again.status_code == 409


def test_cancelling_frees_the_slot(api, booked, guest_booking):
    api.post(url(booked, "cancel"), {"token": booked["manage_token"]}, format="json")
    assert guest_booking(start=TUE_9, email="b@example.org").status_code == 201


def test_cancel_without_credentials_is_401_with_a_wrong_token_404(api, booked):
    assert api.post(url(booked, "cancel"), {}, format="json").status_code == 401
    wrong = api.post(url(booked, "cancel"), {"token": "x" * 32}, format="json")
    assert wrong.status_code == 404
    odd = api.post(url(booked, "cancel"), {"token": "ñ" * 32}, format="json")
    assert odd.status_code == 404
    assert Booking.objects.get(pk=booked["id"]).status == "confirmed"


def test_another_client_cannot_cancel(api_as, booked):
    stranger = factories.ClientFactory().user
    assert api_as(stranger).post(url(booked, "cancel"), {}, format="json").status_code == 404


def test_the_client_cancels_late_inside_the_window(api_as, booked, time_machine, monday):
    time_machine.move_to(TUE_9_UTC - timedelta(hours=3), tick=False)
    owner = Booking.objects.get(pk=booked["id"]).client.user
    response = api_as(owner).post(url(booked, "cancel"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["late_cancellation"] is True
    event = Booking.objects.get(pk=booked["id"]).events.get(kind="cancelled")
    assert event.data["late"] is True and event.by == owner


def test_staff_cancelling_late_is_not_a_late_cancellation(api_as, booked, desk, time_machine):
    time_machine.move_to(TUE_9_UTC - timedelta(hours=3), tick=False)
    response = api_as(desk.specialist.user).post(url(booked, "cancel"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["late_cancellation"] is False


def test_a_client_cannot_cancel_after_the_start(api, booked, time_machine):
    time_machine.move_to(TUE_9_UTC + timedelta(minutes=5), tick=False)
    response = api.post(url(booked, "cancel"), {"token": booked["manage_token"]}, format="json")
    assert response.status_code == 409


# --- reschedule -------------------------------------------------------------------------------


def test_reschedule_moves_the_booking_and_frees_the_old_slot(
    api, booked, guest_booking, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    body = {"token": booked["manage_token"], "start": "2026-06-03T11:00:00-04:00"}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url(booked, "reschedule"), body, format="json")
    assert response.status_code == 200, response.json()
    assert datetime.fromisoformat(response.json()["start"]) == datetime(2026, 6, 3, 15, tzinfo=UTC)
    booking = Booking.objects.get(pk=booked["id"])
    assert booking.sequence == 1
    assert booking.blocked_start == datetime(2026, 6, 3, 15, tzinfo=UTC)
    event = booking.events.get(kind="rescheduled")
    assert datetime.fromisoformat(event.data["old_start"]) == TUE_9_UTC
    reminder = Reminder.objects.get(booking=booking, kind="before-120")
    assert reminder.due_at == datetime(2026, 6, 3, 13, tzinfo=UTC)
    assert any("Booking moved" in m.subject for m in mail.outbox)
    assert guest_booking(start=TUE_9, email="b@example.org").status_code == 201


def test_reschedule_by_a_few_minutes_may_overlap_its_own_old_time(api, booked):
    body = {"token": booked["manage_token"], "start": "2026-06-02T09:15:00-04:00"}
    assert api.post(url(booked, "reschedule"), body, format="json").status_code == 200


def test_reschedule_to_a_taken_slot_is_409(api, booked, guest_booking):
    guest_booking(start="2026-06-03T11:00:00-04:00", email="b@example.org")
    body = {"token": booked["manage_token"], "start": "2026-06-03T11:15:00-04:00"}
    response = api.post(url(booked, "reschedule"), body, format="json")
    assert response.status_code == 409
    assert Booking.objects.get(pk=booked["id"]).start == TUE_9_UTC


def test_reschedule_a_cancelled_booking_is_409(api, booked):
    token = booked["manage_token"]
    api.post(url(booked, "cancel"), {"token": token}, format="json")
    body = {"token": token, "start": "2026-06-03T11:00:00-04:00"}
    assert api.post(url(booked, "reschedule"), body, format="json").status_code == 409


def test_reschedule_needs_a_start_with_offset(api, booked):
    body = {"token": booked["manage_token"], "start": "2026-06-03T11:00:00"}
    response = api.post(url(booked, "reschedule"), body, format="json")
    assert response.status_code == 400
    assert "start" in response.json()


# --- completed / no-show ----------------------------------------------------------------------


def test_staff_mark_a_started_session_completed_or_no_show(api_as, booked, desk, time_machine):
    staff = api_as(desk.specialist.user)
    assert staff.post(url(booked, "complete")).status_code == 409  # not started yet
    time_machine.move_to(TUE_9_UTC + timedelta(minutes=40), tick=False)
    response = staff.post(url(booked, "complete"))
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert staff.post(url(booked, "complete")).status_code == 200  # repeat is harmless
    assert staff.post(url(booked, "no-show")).json()["status"] == "no_show"  # a correction
    kinds = list(Booking.objects.get(pk=booked["id"]).events.values_list("kind", flat=True))
    assert kinds == ["created", "completed", "no_show"]


def test_a_client_cannot_mark_sessions(api_as, booked, time_machine):
    time_machine.move_to(TUE_9_UTC + timedelta(minutes=40), tick=False)
    owner = Booking.objects.get(pk=booked["id"]).client.user
    assert api_as(owner).post(url(booked, "complete")).status_code == 403
    assert Booking.objects.get(pk=booked["id"]).status == "confirmed"


def test_a_cancelled_booking_cannot_be_marked(api_as, api, booked, desk, time_machine):
    api.post(url(booked, "cancel"), {"token": booked["manage_token"]}, format="json")
    time_machine.move_to(TUE_9_UTC + timedelta(minutes=40), tick=False)
    assert api_as(desk.specialist.user).post(url(booked, "no-show")).status_code == 409
