"""Classes in the owner's report: fill rate per class type, attendance, waitlist demand,
cancelled classes apart; a class counts once in its instructor's booked minutes."""

import csv
import io
from datetime import timedelta

import pytest

from bookings.classes import checkin, services, waitlist
from bookings.models import Booking
from tests import factories

from .conftest import NY

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_api(api_as, owner_user):
    return api_as(owner_user)


def book(occurrence, n):
    return [
        services.class_book(occurrence=occurrence, user=c.user)[0]
        for c in factories.ClientFactory.create_batch(n)
    ]


@pytest.fixture
def classes(make_class, instructor, owner_user):
    """Two reformer classes (4 places: 3 booked, one ticked, one no-show, one cancelled by its
    client; 2 places: full, one waiting) and a mat class the studio cancelled."""
    half_full = make_class(capacity=4, days=3)
    came, missed, _kept, gone = book(half_full, 4)
    checkin.place_check_in(occurrence=half_full, booking_id=came.pk, present=True, by=owner_user)
    Booking.objects.filter(pk=missed.pk).update(status=Booking.Status.NO_SHOW)
    Booking.objects.filter(pk=gone.pk).update(status=Booking.Status.CANCELLED)
    full = make_class(capacity=2, days=4)
    book(full, 2)
    waitlist.waitlist_join(occurrence=full, client=factories.ClientFactory())
    mat = make_class(capacity=10, days=5, title="Mat")
    book(mat, 1)
    services.occurrence_cancel(occurrence=mat, by=owner_user)
    return half_full, full, mat


def week_of(occurrence) -> str:
    first = occurrence.start.astimezone(NY).date()
    return f"start={first}&end={first + timedelta(days=6)}"


def test_report_gives_each_class_types_fill_rate(owner_api, classes, instructor):
    half_full, _, _ = classes
    report = owner_api.get(f"/api/reports/?{week_of(half_full)}").json()
    by_name = {row["name"]: row for row in report["classes"]}
    assert by_name["Reformer"] == {
        "class_type": half_full.class_type_id,
        "name": "Reformer",
        "held": 2,
        "cancelled": 0,
        "places_offered": 6,
        "booked": 5,  # the client's own cancellation gave their place back
        "attended": 1,
        "no_shows": 1,
        "fill_rate": round(5 / 6, 4),
        "waitlist": 1,
    }
    mat = by_name["Mat"]
    assert (mat["held"], mat["cancelled"], mat["places_offered"], mat["fill_rate"]) == (0, 1, 0, 0)
    # Two 50-minute classes taught: 100 minutes, not one per place (5 places would say 250).
    row = next(r for r in report["by_specialist"] if r["specialist"] == instructor.pk)
    assert row["booked_minutes"] == 100


def test_report_csv_and_page_list_the_classes(owner_api, client, owner_user, classes):
    half_full, _, _ = classes
    body = owner_api.get(f"/api/reports/?{week_of(half_full)}&format=csv").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    header = rows.index(
        ["class_type", "name", "held", "cancelled", "places_offered", "booked"]
        + ["attended", "no_shows", "fill_rate", "waitlist"]
    )
    assert rows[header + 1][1:6] == ["Mat", "0", "1", "0", "0"]
    assert rows[header + 2][1:6] == ["Reformer", "2", "0", "6", "5"]
    client.force_login(owner_user)
    html = client.get(f"/studio/reports/?{week_of(half_full)}").content.decode()
    assert "report-classes" in html and "83%" in html  # 5 of 6 places
