"""The booking pages (server side): /book/ steps, the manage page, staff availability settings,
the schedule feed, a booking's staff page, the dashboard panels and the admin."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse

from accounts.models import Studio
from bookings.models import Booking, Closure, DateOverride, WeeklyHours
from tests import factories

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"
TUE_9_UTC = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)


def details_url(slug="consultation", specialist="any", start=TUE_9, tz="Europe/London"):
    from urllib.parse import urlencode

    query = urlencode({"specialist": specialist, "start": start, "tz": tz})
    return f"/book/{slug}/details/?{query}"


def post_details(client, data=None, **kw):
    body = {"name": "Gail Guest", "email": "gail@example.org", "phone": "", "notes": ""}
    return client.post(details_url(**kw), {**body, **(data or {})})


# --- the booking flow -------------------------------------------------------------------------


def test_book_steps_lead_from_service_to_times(client, desk):
    page = client.get("/book/").content.decode()
    assert "Consultation" in page and "/book/consultation/" in page
    page = client.get("/book/consultation/").content.decode()
    assert "?specialist=any" in page and f"?specialist={desk.specialist.pk}" in page
    page = client.get(f"/book/consultation/times/?specialist={desk.specialist.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-service="consultation"' in html
    assert f'data-specialist="{desk.specialist.pk}"' in html
    assert "bookings/slots.js" in html


@pytest.mark.parametrize(
    "path",
    ["/book/nope/", "/book/nope/times/", "/book/consultation/times/?specialist=999999"],
)
def test_unknown_service_or_specialist_is_404(client, desk, path):
    assert client.get(path).status_code == 404


def test_details_page_shows_the_time_in_the_visitors_zone(client, desk, monday):
    page = client.get(details_url()).content.decode()
    assert "Tuesday 2 June 2026, 2:00 PM BST" in page


def test_details_post_books_and_confirms_in_the_visitors_zone(client, desk, monday):
    response = post_details(client)
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == (
        f"/bookings/manage/{booking.manage_token}/?tz=Europe/London&new=1"
    )
    page = client.get(response["Location"]).content.decode()
    assert "You're booked" in page
    assert "Tuesday 2 June 2026, 2:00 PM BST" in page
    assert booking.client.user.email == "gail@example.org"
    assert booking.client.timezone == "Europe/London"


def test_details_post_for_a_taken_slot_says_so_with_409(client, desk, monday):
    post_details(client)
    response = post_details(client, {"email": "other@example.org"})
    assert response.status_code == 409
    assert "someone has just taken that time" in response.content.decode()
    assert Booking.objects.count() == 1


def test_details_post_without_email_shows_the_error(client, desk, monday):
    response = post_details(client, {"email": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_logged_in_client_is_not_asked_for_name_or_email(client, desk, monday):
    profile = factories.ClientFactory()
    client.force_login(profile.user)
    assert 'name="email"' not in client.get(details_url()).content.decode()
    response = client.post(details_url(), {"phone": "", "notes": ""})
    assert response.status_code == 302
    assert Booking.objects.get().client == profile


@pytest.mark.parametrize("start", ["not-a-time", "2026-06-02T09:00:00"])
def test_details_with_a_bad_start_is_404(client, desk, start):
    assert client.get(details_url(start=start)).status_code == 404


# --- manage page ------------------------------------------------------------------------------


@pytest.fixture
def token(client, desk, monday):
    post_details(client)
    return Booking.objects.get().manage_token


def test_manage_page_offers_reschedule_and_cancel(client, token):
    response = client.get(f"/bookings/manage/{token}/")
    page = response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert "Reschedule" in page and "Cancel this booking" in page
    # A link without ?tz= shows the studio's zone: its holder may be a stranger who typed the
    # client's address (the client's own zone is theirs to know; e-mailed links carry it).
    assert "Tuesday 2 June 2026, 9:00 AM EDT" in page
    assert (
        "2:00 PM BST" in client.get(f"/bookings/manage/{token}/?tz=Europe/London").content.decode()
    )


def test_manage_page_cancel_and_cancel_again(client, token):
    response = client.post(f"/bookings/manage/{token}/cancel/", {"tz": "Europe/London"})
    assert response.status_code == 302
    assert Booking.objects.get().status == "cancelled"
    page = client.get(response["Location"]).content.decode()
    assert "Your booking is cancelled." in page
    assert "Book again" in page and "Cancel this booking" not in page
    client.post(f"/bookings/manage/{token}/cancel/")
    page = client.get(f"/bookings/manage/{token}/").content.decode()
    assert "already cancelled" in page


def test_manage_page_reschedule(client, token):
    response = client.post(
        f"/bookings/manage/{token}/reschedule/", {"start": "2026-06-03T15:00:00+01:00"}
    )
    assert response.status_code == 302
    assert Booking.objects.get().start == datetime(2026, 6, 3, 14, 0, tzinfo=UTC)
    assert "moved to the new time" in client.get(response["Location"]).content.decode()


def test_manage_page_reschedule_to_a_taken_time_explains(client, token, desk):
    factories.BookingFactory(
        specialist=desk.specialist, start=datetime(2026, 6, 3, 14, 0, tzinfo=UTC)
    )
    response = client.post(
        f"/bookings/manage/{token}/reschedule/", {"start": "2026-06-03T15:00:00+01:00"}
    )
    assert "no longer free" in client.get(response["Location"]).content.decode()
    assert Booking.objects.get(manage_token=token).start == TUE_9_UTC


def test_manage_page_with_an_unknown_token_is_404(client, db):
    assert client.get("/bookings/manage/nope/").status_code == 404
    assert client.post("/bookings/manage/nope/cancel/").status_code == 404


# --- availability settings --------------------------------------------------------------------


def test_a_specialist_edits_their_own_hours_and_days_off(client, desk):
    client.force_login(desk.specialist.user)
    assert client.get("/studio/availability/").status_code == 200
    client.post(
        "/studio/availability/",
        {"action": "add_hours", "weekday": "5", "start": "10:00", "end": "13:00"},
    )
    assert WeeklyHours.objects.filter(specialist=desk.specialist, weekday=5).exists()
    client.post(
        "/studio/availability/",
        {"action": "add_override", "day": "2026-07-03", "kind": "blocked"},
    )
    override = DateOverride.objects.get(specialist=desk.specialist)
    assert override.kind == "blocked" and override.date == date(2026, 7, 3)
    monday = WeeklyHours.objects.get(specialist=desk.specialist, weekday=0)
    client.post("/studio/availability/", {"action": "delete_hours", "pk": monday.pk})
    assert not WeeklyHours.objects.filter(pk=monday.pk).exists()


def test_invalid_hours_are_refused_with_a_message(client, desk):
    client.force_login(desk.specialist.user)
    response = client.post(
        "/studio/availability/",
        {"action": "add_hours", "weekday": "5", "start": "13:00", "end": "10:00"},
        follow=True,
    )
    assert "The end must be after the start." in response.content.decode()
    assert not WeeklyHours.objects.filter(weekday=5).exists()


def test_a_specialist_cannot_touch_someone_elses_hours_or_the_policy(client, desk):
    other = factories.SpecialistFactory()
    theirs = factories.weekday_hours(other)[0]
    client.force_login(desk.specialist.user)
    client.post("/studio/availability/", {"action": "delete_hours", "pk": theirs.pk})
    assert WeeklyHours.objects.filter(pk=theirs.pk).exists()
    client.post(
        "/studio/availability/",
        {
            "action": "policy",
            "min_notice_hours": 0,
            "booking_horizon_days": 60,
            "slot_granularity_minutes": 15,
            "hold_minutes": 15,
            "cancellation_window_hours": 24,
        },
    )
    assert Studio.get().min_notice_hours == 12


def test_the_owner_sets_policy_and_closures_in_the_studio_zone(client, desk, owner_user, monday):
    client.force_login(owner_user)
    client.post(
        "/studio/availability/",
        {
            "action": "policy",
            "min_notice_hours": 2,
            "booking_horizon_days": 30,
            "slot_granularity_minutes": 30,
            "hold_minutes": 10,
            "cancellation_window_hours": 48,
        },
    )
    studio = Studio.get()
    assert (studio.min_notice_hours, studio.slot_granularity_minutes) == (2, 30)
    client.post(
        "/studio/availability/",
        {
            "action": "add_closure",
            "start": "2026-07-03T00:00",
            "end": "2026-07-04T00:00",
            "reason": "Independence Day",
        },
    )
    closure = Closure.objects.get()
    assert closure.start == datetime(2026, 7, 3, 4, 0, tzinfo=UTC)  # midnight in New York
    page = client.get(f"/studio/availability/?specialist={desk.specialist.pk}")
    assert "Independence Day" in page.content.decode()


def test_availability_settings_are_staff_only(client, desk):
    assert client.get("/studio/availability/").status_code == 302
    client.force_login(factories.ClientFactory().user)
    assert client.get("/studio/availability/").status_code == 403


# --- schedule feed and staff booking page -----------------------------------------------------


@pytest.fixture
def two_specialists(desk):
    other = factories.SpecialistFactory(timezone="Europe/London")
    mine = factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC)
    theirs = factories.BookingFactory(specialist=other, start=TUE_9_UTC)
    gone = factories.BookingFactory(
        specialist=desk.specialist, start=TUE_9_UTC + timedelta(hours=2), status="cancelled"
    )
    return other, mine, theirs, gone


def feed(client, **params):
    query = {"start": "2026-06-01T00:00:00Z", "end": "2026-06-08T00:00:00Z", **params}
    response = client.get("/studio/schedule/events/", query)
    assert response.status_code == 200
    return response.json()


def test_schedule_feed_gives_wall_clock_times_in_the_chosen_zone(client, desk, two_specialists):
    _, mine, _, _ = two_specialists
    client.force_login(desk.specialist.user)
    [event] = feed(client, tz="America/New_York")
    assert event["id"] == mine.pk
    assert (event["start"], event["end"]) == ("2026-06-02T09:00:00", "2026-06-02T09:30:00")
    assert event["url"] == reverse("booking-staff", args=[mine.pk])
    assert feed(client, tz="Asia/Tokyo")[0]["start"] == "2026-06-02T22:00:00"


def test_a_specialist_sees_only_their_own_column(client, desk, two_specialists):
    other, *_ = two_specialists
    client.force_login(desk.specialist.user)
    assert feed(client, specialist=other.pk) == []


def test_the_owner_sees_everyone_and_can_show_cancelled(client, owner_user, two_specialists):
    other, mine, theirs, gone = two_specialists
    client.force_login(owner_user)
    assert {e["id"] for e in feed(client)} == {mine.pk, theirs.pk}
    assert [e["id"] for e in feed(client, specialist=other.pk)] == [theirs.pk]
    assert {e["id"] for e in feed(client, cancelled="1")} == {mine.pk, theirs.pk, gone.pk}


def test_schedule_feed_is_staff_only(client, desk):
    client.force_login(factories.ClientFactory().user)
    assert client.get("/studio/schedule/events/").status_code == 403


def test_staff_booking_page_marks_a_started_session(client, desk, two_specialists, time_machine):
    _, mine, _, _ = two_specialists
    client.force_login(desk.specialist.user)
    time_machine.move_to(TUE_9_UTC + timedelta(minutes=45), tick=False)
    page = client.get(f"/studio/bookings/{mine.pk}/").content.decode()
    assert "No-show" in page and mine.client.name in page
    client.post(f"/studio/bookings/{mine.pk}/action/", {"action": "no_show"})
    mine.refresh_from_db()
    assert mine.status == "no_show"
    shown = client.get(f"/studio/bookings/{mine.pk}/").content.decode()
    assert "Marked as a no-show" in shown and "No_show" not in shown


def test_staff_booking_page_cancels_without_late_mark(client, desk, two_specialists):
    _, mine, _, _ = two_specialists
    client.force_login(desk.specialist.user)
    client.post(f"/studio/bookings/{mine.pk}/action/", {"action": "cancel", "reason": "ill"})
    mine.refresh_from_db()
    assert mine.status == "cancelled" and not mine.late_cancellation
    assert mine.events.get(kind="cancelled").data["reason"] == "ill"


# --- panels -----------------------------------------------------------------------------------


def test_home_lists_services_and_specialists(client, desk):
    page = client.get("/").content.decode()
    assert "Consultation" in page and desk.specialist.name in page


def test_portal_lists_my_upcoming_bookings_with_manage_links(client, desk, monday):
    mine = factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC)
    factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC + timedelta(hours=1))
    client.force_login(mine.client.user)
    page = client.get("/portal/").content.decode()
    assert f"/bookings/manage/{mine.manage_token}/" in page
    assert page.count("/bookings/manage/") == 1  # not someone else's


def test_workspace_shows_todays_schedule(client, desk, time_machine):
    time_machine.move_to(TUE_9_UTC - timedelta(hours=3), tick=False)
    today = factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC)
    factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC + timedelta(days=1))
    client.force_login(desk.specialist.user)
    page = client.get("/workspace/").content.decode()
    assert "Today&#x27;s schedule" in page or "Today's schedule" in page
    assert "9:00 AM" in page and today.client.name in page
    assert page.count(reverse("booking-staff", args=[today.pk])) == 1


def test_schedule_page_carries_the_calendar_config(client, owner_user, desk):
    client.force_login(owner_user)
    page = client.get("/studio/schedule/?date=2026-06-02").content.decode()
    assert 'id="schedule-config"' in page and "2026-06-02" in page
    assert "vendor/fullcalendar/index.global.min.js" in page


# --- admin ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "service",
        "weeklyhours",
        "dateoverride",
        "closure",
        "busytime",
        "booking",
        "bookingevent",
        "payment",
        "refund",
        "stripeevent",
        "reminder",
        "calendarfeed",
        "calendarconnection",
    ],
)
def test_every_bookings_model_has_a_working_admin(client, owner_user, desk, model):
    factories.BookingFactory(specialist=desk.specialist, start=TUE_9_UTC)
    client.force_login(owner_user)
    assert client.get(f"/admin/bookings/{model}/").status_code == 200


def test_booking_admin_change_page_shows_history(client, owner_user, desk, guest_booking, monday):
    booked = guest_booking(start=TUE_9).json()
    client.force_login(owner_user)
    page = client.get(f"/admin/bookings/booking/{booked['id']}/change/")
    assert page.status_code == 200
    assert "created" in page.content.decode()


def test_demo_seed_creates_services_hours_and_bookings_once(demo):
    from django.core.management import call_command

    from bookings.models import Service

    consultation = Service.objects.get(slug="consultation")
    session = Service.objects.get(slug="private-session")
    assert (consultation.price, consultation.duration_minutes) == (0, 30)
    assert (session.duration_minutes, session.price, session.deposit) == (55, 9500, 2500)
    assert consultation.specialists.count() == 2 == session.specialists.count()
    for specialist in consultation.specialists.all():
        assert specialist.timezone == "America/New_York"
        hours = set(specialist.weekly_hours.values_list("weekday", "start", "end"))
        assert hours == {(d, time(9), time(17)) for d in range(5)}
    count = Booking.objects.count()
    assert Booking.objects.filter(status="completed").exists()
    assert Booking.objects.filter(status="confirmed", start__gt=datetime.now(UTC)).exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert Booking.objects.count() == count
    assert WeeklyHours.objects.count() == 10
