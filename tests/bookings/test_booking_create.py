"""POST /api/bookings/: guests and clients book free slots; taken or invalid starts are refused."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accounts.models import ClientProfile, IntakeForm, IntakeSubmission, User
from bookings.models import Booking, BookingEvent, Reminder
from bookings.payments.transitions import released_by_expiry
from tests import factories

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"
TUE_9_UTC = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)


def test_guest_books_a_free_consultation(guest_booking, desk, monday):
    response = guest_booking(specialist=desk.specialist.pk, start=TUE_9, phone="555-0100")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed"
    assert datetime.fromisoformat(body["start"]) == TUE_9_UTC
    assert datetime.fromisoformat(body["end"]) == TUE_9_UTC + timedelta(minutes=30)
    assert body["service"] == "consultation"
    assert body["specialist"] == desk.specialist.pk
    assert body["payment"] is None
    booking = Booking.objects.get(pk=body["id"])
    assert body["manage_token"] == booking.manage_token
    guest = User.objects.get(email="gail@example.org")
    assert guest.role == "client" and not guest.has_usable_password()
    assert (guest.first_name, guest.last_name) == ("Gail", "Guest")
    assert booking.client == guest.client and guest.client.phone == "555-0100"
    assert list(booking.events.values_list("kind", flat=True)) == ["created"]


def test_confirmation_emails_go_to_client_and_specialist_without_notes(
    guest_booking, desk, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_booking(
            start=TUE_9, notes="My knee bursitis flares up", tz="Europe/London"
        )
    assert response.status_code == 201
    to_client, to_specialist = sorted(mail.outbox, key=lambda m: m.to[0] != "gail@example.org")
    assert to_client.to == ["gail@example.org"]
    assert "Booking confirmed" in to_client.subject
    assert "2:00 PM BST" in to_client.subject  # the guest's zone, from tz
    assert response.json()["manage_token"] in to_client.body
    assert to_specialist.to == [desk.specialist.user.email]
    assert "9:00 AM EDT" in to_specialist.subject
    for message in mail.outbox:
        assert "knee" not in message.subject.lower()


def test_reminders_are_scheduled_for_a_confirmed_booking(guest_booking, desk, monday):
    body = guest_booking(start=TUE_9).json()
    due = set(Reminder.objects.filter(booking_id=body["id"]).values_list("due_at", flat=True))
    assert TUE_9_UTC - timedelta(minutes=120) in due


def test_a_returning_guest_is_matched_by_email(guest_booking, desk, monday):
    client = factories.ClientFactory(user__email="Known@Example.org")
    response = guest_booking(start=TUE_9, email="known@example.org", name="Someone Else")
    assert response.status_code == 201
    assert Booking.objects.get(pk=response.json()["id"]).client == client
    assert ClientProfile.objects.count() == 1
    client.user.refresh_from_db()
    assert client.user.first_name != "Someone"  # a guest form never rewrites a client


def test_a_staff_email_cannot_be_used_by_a_guest(guest_booking, desk, monday):
    response = guest_booking(start=TUE_9, email=desk.specialist.user.email)
    assert response.status_code == 400
    assert "email" in response.json()


def test_logged_in_client_books_as_themself(api_as, desk, monday):
    client = factories.ClientFactory()
    response = api_as(client.user).post(
        "/api/bookings/", {"service": "consultation", "start": TUE_9}, format="json"
    )
    assert response.status_code == 201, response.json()
    booking = Booking.objects.get(pk=response.json()["id"])
    assert booking.client == client and booking.created_by == client.user


def test_guest_without_name_or_email_gets_field_errors(api, desk, monday):
    response = api.post(
        "/api/bookings/", {"service": "consultation", "start": TUE_9}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "email"}
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service": "nope"}, "service"),
        ({"start": "2026-06-02T09:00:00"}, "start"),  # no offset
        ({"start": "tuesday"}, "start"),
        ({"email": "not-an-email"}, "email"),
        ({"specialist": 999999}, "specialist"),
        ({"tz": "Mars/Olympus"}, "tz"),
    ],
)
def test_invalid_input_is_400_naming_the_field(guest_booking, desk, monday, change, field):
    response = guest_booking(**{"start": TUE_9, **change})
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "start",
    [
        "2026-06-01T13:00:00-04:00",  # inside the 12 h notice
        "2026-06-02T08:00:00-04:00",  # before working hours
        "2026-06-02T16:45:00-04:00",  # would end after 17:00
        "2026-06-02T09:05:00-04:00",  # off the 15-minute grid
        "2026-06-06T10:00:00-04:00",  # Saturday
        "2026-09-01T10:00:00-04:00",  # past the 60-day horizon
    ],
)
def test_a_start_that_is_not_a_free_slot_is_409(guest_booking, desk, monday, start):
    response = guest_booking(start=start)
    assert response.status_code == 409
    assert "detail" in response.json()
    assert not Booking.objects.exists()


def test_a_taken_slot_is_409_also_when_it_only_overlaps(guest_booking, desk, monday):
    assert guest_booking(service="private-session", start=TUE_9).status_code == 201
    # 09:30 consultation overlaps the 09:00-09:55 session; 10:00 falls in its 5-minute buffer.
    assert (
        guest_booking(start="2026-06-02T09:30:00-04:00", email="b@example.org").status_code == 409
    )
    assert (
        guest_booking(start="2026-06-02T09:45:00-04:00", email="c@example.org").status_code == 409
    )
    assert (
        guest_booking(start="2026-06-02T10:00:00-04:00", email="d@example.org").status_code == 201
    )


def test_any_specialist_picks_one_who_is_free(guest_booking, desk, monday):
    other = factories.SpecialistFactory()
    factories.weekday_hours(other)
    desk.consultation.specialists.add(other)
    first = guest_booking(start=TUE_9).json()
    second = guest_booking(start=TUE_9, email="b@example.org").json()
    assert {first["specialist"], second["specialist"]} == {desk.specialist.pk, other.pk}
    assert guest_booking(start=TUE_9, email="c@example.org").status_code == 409


def test_paid_service_without_stripe_is_confirmed_to_pay_in_studio(guest_booking, desk, monday):
    response = guest_booking(service="private-session", start=TUE_9)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["payment"] == {"method": "in_studio", "amount": 2500, "currency": "USD"}
    assert Booking.objects.get(pk=body["id"]).payment_method == "in_studio"


def test_paid_service_with_stripe_on_is_held_until_the_hold_expires(
    guest_booking, desk, monday, settings
):
    settings.STRIPE_SECRET_KEY = "sk_test_engine"
    desk.studio.hold_minutes = 20
    desk.studio.save()
    response = guest_booking(service="private-session", start=TUE_9)
    assert response.status_code == 201
    booking = Booking.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "held" == booking.status
    assert booking.hold_expires_at == monday + timedelta(minutes=20)
    assert not Reminder.objects.filter(booking=booking).exists()
    # The slot stays taken while held...
    assert guest_booking(start=TUE_9, email="b@example.org").status_code == 409


def test_an_expired_hold_is_released_when_someone_books_its_slot(
    guest_booking, desk, monday, settings, time_machine
):
    settings.STRIPE_SECRET_KEY = "sk_test_engine"
    held = guest_booking(service="private-session", start=TUE_9).json()
    time_machine.move_to(monday + timedelta(minutes=16), tick=False)
    response = guest_booking(start=TUE_9, email="b@example.org")
    assert response.status_code == 201
    expired = Booking.objects.get(pk=held["id"])
    assert expired.status == "cancelled"
    assert expired.events.filter(kind="hold_released").exists()
    # The one hold expiry: a payment arriving now is recognised as late, as after the job's.
    assert released_by_expiry(expired)


def test_a_hold_freed_under_the_former_event_kind_still_counts_as_released(
    guest_booking, desk, monday, settings
):
    """Rows written before the two hold-expiry paths became one say `hold_expired`."""
    settings.STRIPE_SECRET_KEY = "sk_test_engine"
    held = Booking.objects.get(
        pk=guest_booking(service="private-session", start=TUE_9).json()["id"]
    )
    BookingEvent.objects.create(booking=held, kind="hold_expired")
    assert released_by_expiry(held)


def test_existing_clients_only_service_refuses_a_new_client(guest_booking, api_as, desk, monday):
    desk.session.audience = "existing"
    desk.session.save()
    response = guest_booking(service="private-session", start=TUE_9)
    assert response.status_code == 403
    assert not User.objects.filter(email="gail@example.org").exists()  # rolled back
    consultation = guest_booking(start="2026-06-03T09:00:00-04:00").json()
    Booking.objects.filter(pk=consultation["id"]).update(status="completed")
    # Now an existing client: logged in, they may book it (a guest may not: see
    # test_guest_privacy.py, the answer must not depend on whose address was typed).
    gail = User.objects.get(email="gail@example.org")
    body = {"service": "private-session", "start": TUE_9}
    assert api_as(gail).post("/api/bookings/", body, format="json").status_code == 201


def test_intake_required_service_needs_an_intake_on_file(api_as, desk, monday):
    desk.session.intake_required = True
    desk.session.save()
    client = factories.ClientFactory()
    body = {"service": "private-session", "start": TUE_9}
    assert api_as(client.user).post("/api/bookings/", body, format="json").status_code == 403
    form = IntakeForm.objects.order_by("-version").first()  # published by a data migration
    IntakeSubmission.objects.create(client=client, form=form, signature_name="C", signed_at=monday)
    assert api_as(client.user).post("/api/bookings/", body, format="json").status_code == 201


def test_staff_books_for_a_client_by_id(api_as, desk, monday):
    client = factories.on_care_team(factories.ClientFactory(), desk.specialist)
    response = api_as(desk.specialist.user).post(
        "/api/bookings/",
        {"service": "consultation", "start": TUE_9, "client": client.pk},
        format="json",
    )
    assert response.status_code == 201
    assert Booking.objects.get(pk=response.json()["id"]).client == client


def test_a_client_cannot_book_for_someone_else(api_as, desk, monday):
    client, other = factories.ClientFactory(), factories.ClientFactory()
    response = api_as(client.user).post(
        "/api/bookings/",
        {"service": "consultation", "start": TUE_9, "client": other.pk},
        format="json",
    )
    assert response.status_code == 403
    assert not BookingEvent.objects.exists()


@pytest.mark.postgres
def test_postgres_refuses_an_overlapping_row_that_skipped_the_recheck_as_409(desk, monday):
    from bookings.services import _save_guarded
    from studio.kernel.errors import Conflict

    first = factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC)
    overlapping = factories.BookingFactory.build(
        specialist=desk.specialist,
        client=first.client,
        service=first.service,
        start=TUE_9_UTC + timedelta(minutes=15),
    )
    with pytest.raises(Conflict):
        _save_guarded(overlapping, force_insert=True)
    assert Booking.objects.count() == 1
