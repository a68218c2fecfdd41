"""Booking a place through the API: a booking like any other; full is a 409 "full"."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from bookings.classes import places, services
from bookings.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db


def guest(i: int) -> dict:
    return {"name": f"Guest {i}", "email": f"guest{i}@example.org"}


def test_timetable_lists_classes_with_places_left(api, make_class):
    occurrence = make_class(capacity=2)
    api.post(f"/api/classes/{occurrence.pk}/book/", guest(1), format="json")
    day = occurrence.start.date()
    rows = api.get(f"/api/classes/?start={day}&end={day}&tz=Europe/Paris").json()
    row = next(r for r in rows if r["id"] == occurrence.pk)
    assert row["spots_left"] == 1 and row["capacity"] == 2 and row["waiting"] == 0
    assert row["title"] == "Reformer" and row["instructor"] == occurrence.instructor_id
    assert {"price", "currency", "credits", "start", "end"} <= set(row)
    assert datetime.fromisoformat(row["start"]).utcoffset().total_seconds() in (3600, 7200)


def test_a_class_booking_is_a_booking_with_manage_link_and_e_mail(
    api, api_as, make_class, django_capture_on_commit_callbacks
):
    occurrence = make_class(capacity=4)
    client = factories.ClientFactory(user__email="kim@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(client.user).post(
            f"/api/classes/{occurrence.pk}/book/", {}, format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["manage_token"]
    assert body["start"] == occurrence.start.astimezone(UTC).isoformat()
    listed = api_as(client.user).get("/api/bookings/").json()
    ids = [row["id"] for row in (listed["results"] if "results" in listed else listed)]
    assert body["id"] in ids
    assert any(m.to == ["kim@example.org"] and "Reformer" in m.subject for m in mail.outbox)
    booking = Booking.objects.get(pk=body["id"])
    assert booking.reminders.exists(), "class places get reminders like any booking"
    cancel = api.post(
        f"/api/bookings/{body['id']}/cancel/", {"token": body["manage_token"]}, format="json"
    )
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"


def test_a_full_class_answers_409_full(api, make_class):
    occurrence = make_class(capacity=1)
    assert (
        api.post(f"/api/classes/{occurrence.pk}/book/", guest(1), format="json").status_code == 201
    )
    response = api.post(f"/api/classes/{occurrence.pk}/book/", guest(2), format="json")
    assert response.status_code == 409 and response.json()["code"] == "full"


def test_one_place_per_client(api_as, make_class):
    occurrence = make_class(capacity=5)
    client = factories.ClientFactory()
    as_client = api_as(client.user)
    assert (
        as_client.post(f"/api/classes/{occurrence.pk}/book/", {}, format="json").status_code == 201
    )
    again = as_client.post(f"/api/classes/{occurrence.pk}/book/", {}, format="json")
    assert again.status_code == 409


def test_a_class_place_cannot_be_rescheduled(api, make_class):
    occurrence = make_class()
    body = api.post(f"/api/classes/{occurrence.pk}/book/", guest(1), format="json").json()
    response = api.post(
        f"/api/bookings/{body['id']}/reschedule/",
        {"token": body["manage_token"], "start": "2030-01-01T10:00:00+00:00"},
        format="json",
    )
    assert response.status_code == 409


def test_staff_create_a_weekly_class_through_the_api(api_as, owner_user, instructor):
    response = api_as(owner_user).post(
        "/api/classes/",
        {
            "title": "Mat",
            "instructor": instructor.pk,
            "start": "2027-03-01T18:00:00",
            "timezone": "America/New_York",
            "duration_minutes": 45,
            "capacity": 12,
            "repeat": {"weekdays": [0, 2], "until": "2027-03-31"},
            "price": 2500,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    rows = response.json()["occurrences"]
    assert len(rows) == 10  # five Mondays and five Wednesdays
    assert {row["start"][11:16] for row in rows} == {"18:00"}  # local time, across 14 March
    assert {row["start"][-6:] for row in rows} == {"-05:00", "-04:00"}


def test_guests_and_clients_cannot_create_classes(api, api_as, instructor):
    body = {
        "title": "x",
        "instructor": instructor.pk,
        "start": "2027-01-01T09:00:00",
        "timezone": "UTC",
        "duration_minutes": 30,
        "capacity": 3,
    }
    assert api.post("/api/classes/", body, format="json").status_code in (401, 403)
    client = factories.ClientFactory()
    assert api_as(client.user).post("/api/classes/", body, format="json").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"start": "nonsense"},
        {"timezone": "Mars/Base"},
        {"capacity": 0},
        {"repeat": {"weekdays": [9], "until": "2027-01-02"}},
        {"repeat": {"weekdays": [0], "until": "2026-01-01"}},
        {"instructor": 999999},
        {"equipment": "nope"},
        {"repeat": {"weekdays": [0, 1, 2, 3, 4, 5, 6], "until": "2200-12-31"}},
    ],
)
def test_bad_class_input_is_a_400(api_as, owner_user, instructor, body):
    valid = {
        "title": "Mat",
        "instructor": instructor.pk,
        "start": "2027-01-04T09:00:00",
        "timezone": "America/New_York",
        "duration_minutes": 30,
        "capacity": 3,
    }
    response = api_as(owner_user).post("/api/classes/", {**valid, **body}, format="json")
    assert response.status_code == 400, response.content


def test_places_never_exceed_capacity_when_booking_in_a_loop(make_class):
    occurrence = make_class(capacity=3)
    made = 0
    for client in factories.ClientFactory.create_batch(5):
        try:
            services.class_book(occurrence=occurrence, user=client.user)
            made += 1
        except places.Full:
            pass
    assert made == 3


def test_the_instructor_sees_the_names_of_clients_who_booked_not_of_typed_addresses(
    api, api_as, make_class
):
    occurrence = make_class(capacity=4)
    client = factories.ClientFactory(user__email="kim@example.org", user__first_name="Kim")
    api_as(client.user).post(f"/api/classes/{occurrence.pk}/book/", {}, format="json")
    known = factories.ClientFactory(user__email="lee@example.org", user__first_name="Lee")
    api.post(
        f"/api/classes/{occurrence.pk}/book/",
        {"name": "Someone", "email": "lee@example.org"},
        format="json",
    )
    rows = api_as(occurrence.instructor.user).get(f"/api/classes/{occurrence.pk}/roster/").json()
    names = sorted(row["name"] for row in rows)
    assert names == sorted([client.name, "A client (not on your care team)"])
    assert known.name not in names


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "1"])
def test_an_unknown_class_is_a_404(api, studio, pk):
    assert api.get(f"/api/classes/{pk}/").status_code == 404
    assert api.post(f"/api/classes/{pk}/book/", guest(1), format="json").status_code == 404
