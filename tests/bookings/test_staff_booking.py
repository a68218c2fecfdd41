"""Staff book for a client, step outside the rules with a reason (never over another booking),
move bookings and mark how sessions went (../shared/API.md, "Staff operations and money")."""

from datetime import datetime

import pytest

from bookings.models import Booking, BookingEvent
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


def test_a_client_cannot_reschedule_outside_the_rules(api, api_as, staff_api, desk, regular):
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    r = api_as(regular.user).post(
        f"/api/bookings/{booking_id}/reschedule/",
        {"start": TUE_7_NY, "override_reason": "suits me"},
        format="json",
    )
    assert r.status_code == 403
    assert Booking.objects.get(pk=booking_id).start == datetime.fromisoformat(TUE_9_NY)
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    path = "/api/bookings/{id}/reschedule/"
    assert "403" in schema["paths"][path]["post"]["responses"]  # documented (fuzz seed 972719119)


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


# --- pages ----------------------------------------------------------------------------------


def book_page_post(client, desk, regular, start, **extra):
    body = {
        "client": regular.pk,
        "service": desk.session.pk,
        "specialist": desk.specialist.pk,
        "start": start,
        "tz": "America/New_York",
        **extra,
    }
    return client.post("/studio/book/", body)


def test_book_page_prefills_from_the_schedule_and_books(client, desk, monday, regular):
    client.force_login(desk.specialist.user)
    html = client.get(
        f"/studio/book/?specialist={desk.specialist.pk}&start=2026-06-02T09:00&tz=America/New_York"
    ).content.decode()
    assert 'value="2026-06-02T09:00"' in html and "America/New_York" in html
    r = book_page_post(client, desk, regular, "2026-06-02T09:00")
    booking = Booking.objects.get(client=regular)
    assert r.status_code == 302 and r["Location"] == f"/studio/bookings/{booking.pk}/"
    assert booking.start.isoformat() == "2026-06-02T13:00:00+00:00"


def test_book_page_outside_hours_asks_for_a_reason(client, desk, monday, regular):
    client.force_login(desk.specialist.user)
    html = book_page_post(client, desk, regular, "2026-06-02T07:00").content.decode()
    assert "give a reason" in html and not Booking.objects.exists()
    r = book_page_post(client, desk, regular, "2026-06-02T07:00", override_reason="early")
    assert r.status_code == 302
    assert Booking.objects.get().events.get(kind="created").data["override_reason"] == "early"


def test_book_page_lists_only_clients_the_specialist_may_see(client, desk, monday, regular):
    stranger = factories.ClientFactory()
    client.force_login(desk.specialist.user)
    html = client.get("/studio/book/").content.decode()
    assert regular.name in html and stranger.name not in html
    r = book_page_post(client, desk, stranger, "2026-06-02T09:00")
    assert r.status_code == 200 and not Booking.objects.exists()


def test_book_page_is_for_staff(client, regular, db):
    client.force_login(regular.user)
    assert client.get("/studio/book/").status_code == 403


def test_client_file_offers_booking_for_the_client(client, desk, regular):
    client.force_login(desk.specialist.user)
    html = client.get(f"/accounts/clients/{regular.pk}/").content.decode()
    assert f"/studio/book/?client={regular.pk}" in html


def test_staff_page_moves_a_booking_with_a_reason(client, desk, monday, regular, staff_api):
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    client.force_login(desk.specialist.user)
    url = f"/studio/bookings/{booking_id}/move/"
    body = {"start": "2026-06-02T07:00", "tz": "America/New_York"}
    client.post(url, body)
    assert Booking.objects.get(pk=booking_id).start.hour == 13  # unchanged: outside hours
    client.post(url, body | {"override_reason": "her train"})
    assert Booking.objects.get(pk=booking_id).start.hour == 11
    html = client.get(f"/studio/bookings/{booking_id}/").content.decode()
    assert "outside the rules: her train" in html


def test_a_bookings_history_is_told_in_words(staff_api, desk, regular, time_machine, client):
    """Every change recorded is one of BookingEvent.Kind, and the staff page reads its words."""
    booking_id = staff_book(staff_api, desk, regular, TUE_9_NY).json()["id"]
    staff_api.post(
        f"/api/bookings/{booking_id}/reschedule/",
        {"start": TUE_7_NY, "override_reason": "her train"},
        format="json",
    )
    time_machine.move_to("2026-06-02T13:30:00Z", tick=False)
    staff_api.post(f"/api/bookings/{booking_id}/payments/", {"amount": 5000, "method": "cash"})
    staff_api.post(f"/api/bookings/{booking_id}/mark/", {"status": "no_show"}, format="json")
    kinds = list(BookingEvent.objects.filter(booking_id=booking_id).values_list("kind", flat=True))
    assert kinds == ["created", "rescheduled", "desk_payment", "no_show"]
    assert set(kinds) <= set(BookingEvent.Kind.values)
    client.force_login(desk.specialist.user)
    page = client.get(f"/studio/bookings/{booking_id}/").content.decode()
    for words in ("Booked", "Moved", "Payment taken at the studio", "Marked as a no-show"):
        assert words in page
    assert "No_show" not in page and "desk_payment" not in page
