"""/studio/settings/: a new owner sets up the studio, a service, a specialist and their hours
in the app, each change validated, audited and seen by availability at once."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail

from accounts.models import Studio, User
from bookings.models import Service, WeeklyHours
from tests import factories

pytestmark = pytest.mark.django_db
PAGES = ["/studio/settings/", "/studio/settings/services/", "/studio/settings/staff/"]


@pytest.fixture
def boss(client):
    owner = factories.owner()
    client.force_login(owner)
    return owner


@pytest.mark.parametrize("url", PAGES)
def test_settings_pages_are_for_the_owner(client, specialist, url):
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(specialist.user)
    assert client.get(url).status_code == 403


def test_payment_status_says_what_to_set(client, boss, settings):
    html = client.get("/studio/settings/").content.decode()
    assert "Online payments off." in html and "STRIPE_SECRET_KEY" in html
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_x", "pk_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    assert "Online payments on." in client.get("/studio/settings/").content.decode()


def test_policies_in_currency_units_validated_and_audited(client, boss):
    body = {
        "form": "policy",
        "cancellation_window_hours": "48",
        "late_cancel_fee": "25.50",
        "late_cancel_refund": "none",
        "reminder_offsets": "1440, 120",
        "min_notice_hours": "2",
        "booking_horizon_days": "30",
        "slot_granularity_minutes": "30",
        "hold_minutes": "10",
    }
    assert client.post("/studio/settings/", body).status_code == 302
    studio = Studio.get()
    assert (studio.late_cancel_fee, studio.reminder_offsets_minutes) == (2550, [1440, 120])
    assert LogEntry.objects.filter(object_id=str(studio.pk)).exists()
    html = client.post("/studio/settings/", body | {"reminder_offsets": "5"}).content.decode()
    assert "5 minutes: a reminder goes out between 30 minutes" in html
    html = client.post("/studio/settings/", body | {"reminder_offsets": "soon"}).content.decode()
    assert "whole minutes" in html


def test_studio_details_refuse_an_unknown_zone(client, boss):
    body = {"form": "details", "name": "Core", "timezone": "Nowhere/Land", "currency": "USD"}
    html = client.post("/studio/settings/", body).content.decode()
    assert "is not a known time zone" in html and Studio.get().name != "Core"


def test_new_owner_sets_up_service_specialist_and_hours_in_the_app(
    client, boss, api, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-06-01T12:00:00Z", tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/studio/settings/staff/",
            {"name": "Nina Park", "email": "nina@example.org", "role": "specialist"},
        )
    assert r.status_code == 302 and len(mail.outbox) == 1
    nina = User.objects.get(email="nina@example.org").specialist
    r = client.post(
        "/studio/settings/services/",
        {
            "name": "Mat session",
            "duration_minutes": "45",
            "buffer_before_minutes": "0",
            "buffer_after_minutes": "15",
            "price": "80.00",
            "deposit": "20",
            "specialists": [nina.pk],
            "is_active": "on",
        },
    )
    assert r.status_code == 302
    service = Service.objects.get(slug="mat-session")
    assert (service.price, service.deposit) == (8000, 2000)
    query = "/api/availability/?service=mat-session&start=2026-06-02&end=2026-06-02"
    assert api.get(query).json()["slots"] == []  # no hours yet
    client.post(
        f"/studio/availability/?specialist={nina.pk}",
        {"action": "add_hours", "specialist": nina.pk, "weekday": 1, "start": "09:00",
         "end": "12:00"},
    )  # fmt: skip
    assert WeeklyHours.objects.filter(specialist=nina).exists()
    assert api.get(query).json()["slots"]  # at once, whatever the cache held


def test_service_form_refuses_a_deposit_above_the_price(client, boss, desk):
    url = "/studio/settings/services/private-session/"
    html = client.get(url).content.decode()
    assert 'value="95.00"' in html
    body = {"name": "Private session", "duration_minutes": "55", "buffer_before_minutes": "0",
            "buffer_after_minutes": "5", "price": "95", "deposit": "100", "is_active": "on"}  # fmt: skip
    html = client.post(url, body).content.decode()
    assert "The deposit cannot be more than the price." in html
    assert Service.objects.get(slug="private-session").deposit == 2500


def test_owner_deactivates_a_specialist(client, boss, desk):
    user = desk.specialist.user
    client.post(f"/studio/settings/staff/{user.pk}/active/", {"active": "0"})
    user.refresh_from_db()
    desk.specialist.refresh_from_db()
    assert not user.is_active and not desk.specialist.is_active
    r = client.post(f"/studio/settings/staff/{boss.pk}/active/", {"active": "0"}, follow=True)
    assert "You cannot deactivate your own account." in r.content.decode()
