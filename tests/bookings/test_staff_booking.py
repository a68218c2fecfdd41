"""Staff book for a client, step outside the rules with a reason (never over another booking),
move bookings and mark how sessions went (../shared/API.md, "Staff operations and money")."""

from datetime import datetime

import pytest

from bookings.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db
TUE_9_NY = "2026-06-02T09:00:00-04:00"
TUE_7_NY = "2026-06-02T07:00:00-04:00"  # before working hours
MON_9_NY = "2026-06-01T09:00:00-04:00"  # inside the 12 hours' notice (now: Monday 08:00)


@pytest.fixture
def staff_api(api_as, desk, monday):
    return api_as(desk.specialist.user)


@pytest.fixture
def regular(desk):
    client = factories.ClientFactory()
    factories.on_care_team(client, desk.specialist)
    return client


def staff_book(api, desk, client, start, **extra):
    body = {
        "service": "private-session",
        "specialist": desk.specialist.pk,
        "start": start,
        "client": client.pk,
        **extra,
    }
    return api.post("/api/bookings/", body, format="json")


def test_staff_book_for_a_client_inside_the_rules(staff_api, desk, regular):
    r = staff_book(staff_api, desk, regular, TUE_9_NY)
    assert r.status_code == 201, r.json()
    assert r.json()["client"] == regular.pk
    assert r.json()["money"]["balance_due"] == 9500


@pytest.mark.parametrize("start", [TUE_7_NY, MON_9_NY])
def test_outside_hours_or_notice_needs_an_override_reason(staff_api, desk, regular, start):
    assert staff_book(staff_api, desk, regular, start).status_code == 409
    r = staff_book(staff_api, desk, regular, start, override_reason="Early slot agreed by phone")
    assert r.status_code == 201, r.json()
    booking = Booking.objects.get(pk=r.json()["id"])
    event = booking.events.get(kind="created")
    assert event.data["override_reason"] == "Early slot agreed by phone"
    assert event.by == desk.specialist.user


def test_override_never_books_over_another_booking(staff_api, desk, regular):
    factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.consultation,
        start=datetime.fromisoformat(TUE_7_NY),
    )
    r = staff_book(staff_api, desk, regular, TUE_7_NY, override_reason="squeeze in")
    assert r.status_code == 409


def test_override_covers_clients_only_services(staff_api, desk, regular):
    desk.session.audience = "existing"
    desk.session.save()
    assert staff_book(staff_api, desk, regular, TUE_9_NY).status_code == 403
    r = staff_book(staff_api, desk, regular, TUE_9_NY, override_reason="referred by her GP")
    assert r.status_code == 201


def test_override_is_for_staff_only(api_as, desk, monday, regular):
    body = {
        "service": "private-session",
        "specialist": desk.specialist.pk,
        "start": TUE_7_NY,
        "override_reason": "I want it",
    }
    assert api_as(regular.user).post("/api/bookings/", body, format="json").status_code == 403


def test_override_needs_a_specialist(staff_api, desk, regular):
    r = staff_api.post(
        "/api/bookings/",
        {"service": "private-session", "start": TUE_7_NY, "client": regular.pk}
        | {"override_reason": "early"},
        format="json",
    )
    assert r.status_code == 400 and "specialist" in r.json()


def test_staff_cannot_book_a_client_outside_their_care_teams(staff_api, desk):
    stranger = factories.ClientFactory()
    assert staff_book(staff_api, desk, stranger, TUE_9_NY).status_code == 404


def test_reschedule_with_an_override_reason(staff_api, desk, regular):
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    url = f"/api/bookings/{booking_id}/reschedule/"
    assert staff_api.post(url, {"start": TUE_7_NY}, format="json").status_code == 409
    r = staff_api.post(url, {"start": TUE_7_NY, "override_reason": "her train"}, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["start"] == "2026-06-02T11:00:00+00:00"
    other = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    r = staff_api.post(
        f"/api/bookings/{other}/reschedule/",
        {"start": TUE_7_NY, "override_reason": "on top"},
        format="json",
    )
    assert r.status_code == 409


def test_mark_only_once_started(staff_api, desk, regular, time_machine):
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    url = f"/api/bookings/{booking_id}/mark/"
    assert staff_api.post(url, {"status": "completed"}, format="json").status_code == 409
    time_machine.move_to("2026-06-02T13:30:00Z", tick=False)
    assert staff_api.post(url, {"status": "maybe"}, format="json").status_code == 400
    r = staff_api.post(url, {"status": "no_show"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "no_show"


def test_mark_is_404_for_the_client(api_as, staff_api, desk, regular):
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    r = api_as(regular.user).post(
        f"/api/bookings/{booking_id}/mark/", {"status": "completed"}, format="json"
    )
    assert r.status_code == 404
