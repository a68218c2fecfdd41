"""GET /api/reports/ and the report on /studio/reports/: utilisation, revenue, rates, clients."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest

from bookings.models import Closure, DateOverride, WeeklyHours
from tests import factories

pytestmark = pytest.mark.django_db
MON_1_JUNE_10_NY = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
FIRST_WEEK = "/api/reports/?start=2026-06-01&end=2026-06-07"


@pytest.fixture
def owner_api(api_as):
    return api_as(factories.owner())


def book(desk, status="completed", day=0, service=None, client=None, **extra):
    start = MON_1_JUNE_10_NY + timedelta(days=day)
    return factories.BookingFactory(
        service=service or desk.session,
        specialist=desk.specialist,
        start=start,
        status=status,
        client=client or factories.ClientFactory(),
        **extra,
    )


def row_of(report, specialist):
    return next(r for r in report["by_specialist"] if r["specialist"] == specialist.pk)


def test_report_utilisation_is_booked_over_working_minutes(owner_api, desk):
    book(desk, "completed", 0)
    book(desk, "no_show", 1)
    book(desk, "confirmed", 2, service=desk.consultation)
    book(desk, "cancelled", 3)  # gave the time back: not booked
    report = owner_api.get(FIRST_WEEK).json()
    row = row_of(report, desk.specialist)
    assert row["name"] == desk.specialist.name
    assert (row["booked_minutes"], row["available_minutes"]) == (55 + 55 + 30, 5 * 8 * 60)
    assert row["utilisation"] == round(140 / 2400, 4)


def test_report_working_minutes_less_days_off_and_closures(owner_api, desk):
    DateOverride.objects.create(specialist=desk.specialist, date="2026-06-02", kind="blocked")
    DateOverride.objects.create(
        specialist=desk.specialist, date="2026-06-06", kind="extra", start=time(10), end=time(12)
    )
    Closure.objects.create(  # Wednesday 13:00-17:00 New York
        start=datetime(2026, 6, 3, 17, 0, tzinfo=UTC), end=datetime(2026, 6, 3, 21, 0, tzinfo=UTC)
    )
    row = row_of(owner_api.get(FIRST_WEEK).json(), desk.specialist)
    assert row["available_minutes"] == 5 * 480 - 480 - 240 + 120


def test_report_working_minutes_across_the_spring_forward_night(owner_api, desk):
    WeeklyHours.objects.create(specialist=desk.specialist, weekday=6, start=time(0), end=time(4))
    report = owner_api.get("/api/reports/?start=2026-03-08&end=2026-03-08").json()
    assert row_of(report, desk.specialist)["available_minutes"] == 180  # 02:00-03:00 never was


def test_report_shows_every_week_even_without_money(owner_api, desk):
    report = owner_api.get("/api/reports/?start=2026-06-01&end=2026-06-21").json()
    assert [w["week"] for w in report["weeks"]] == ["2026-06-01", "2026-06-08", "2026-06-15"]
    assert all(w["net"] == 0 and w["bookings"] == 0 for w in report["weeks"])
    assert report["revenue"] == {"paid_online": 0, "paid_in_studio": 0, "refunded": 0, "net": 0}
    assert report["currency"] == "USD"


def test_report_rates_and_new_versus_returning_clients(owner_api, desk):
    regular = factories.ClientFactory()
    book(desk, "completed", -14, client=regular)  # before the range: she returns
    book(desk, "completed", 0, client=regular)
    book(desk, "no_show", 1)
    book(desk, "completed", 2)
    book(desk, "cancelled", 3, late_cancellation=True)
    report = owner_api.get(FIRST_WEEK).json()
    assert report["no_show_rate"] == round(1 / 3, 4)
    assert report["late_cancel_rate"] == 0.25
    assert (report["new_clients"], report["returning_clients"]) == (2, 1)


def test_report_csv_for_a_spreadsheet(owner_api, desk):
    response = owner_api.get("/api/reports/?start=2026-06-01&end=2026-06-14&format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["from", "to", "currency"]
    assert rows[3][0] == "week_starting"
    assert [r[0] for r in rows[4:6]] == ["2026-06-01", "2026-06-08"]
    assert any(r and r[1] == desk.specialist.name for r in rows)


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-06-07&end=2026-06-01",
        "start=2026-06-01",
        "start=june&end=2026-06-07",
        "start=2025-01-01&end=2026-06-07",
        "start=2026-06-01&end=2026-06-07&format=xml",
    ],
)
def test_report_bad_ranges_are_400_json(owner_api, db, query):
    response = owner_api.get(f"/api/reports/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")


def test_report_is_for_the_owner(api, api_as, desk):
    assert api.get(FIRST_WEEK).status_code == 401
    assert api_as(desk.specialist.user).get(FIRST_WEEK).status_code == 403
    assert api_as(factories.ClientFactory().user).get(FIRST_WEEK).status_code == 403


def test_report_queries_do_not_grow_with_bookings(owner_api, desk, django_assert_max_num_queries):
    book(desk, "completed", 0)
    with django_assert_max_num_queries(40) as few:
        owner_api.get(FIRST_WEEK)
    for day in range(1, 5):
        book(desk, "completed", day)
        factories.SpecialistFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        owner_api.get(FIRST_WEEK)


def test_report_page_shows_the_range_asked_for(client, desk):
    book(desk, "completed", 0)
    client.force_login(factories.owner())
    html = client.get("/studio/reports/?start=2026-06-01&end=2026-06-07").content.decode()
    assert "1 Jun 2026 – 7 Jun 2026" in html and "Online payments off" in html
    assert "format=csv" in html
    html = client.get("/studio/reports/?start=2026-06-07&end=2026-06-01").content.decode()
    assert "The end date is before the start date." in html
