"""The owner runs the studio through the API: studio settings, services, staff invitations."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail

from accounts.models import SpecialistProfile, Studio, User
from bookings.models import Service
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(api_as):
    return api_as(factories.owner())


def test_studio_patch_changes_policies_and_is_audited(owner):
    r = owner.patch(
        "/api/studio/",
        {"cancellation_window_hours": 48, "late_cancel_fee": 2500, "name": "Core Studio"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["cancellation_window_hours"], body["late_cancel_fee"]) == (48, 2500)
    assert body["online_payments"] == "off"
    entry = LogEntry.objects.get()
    assert "late_cancel_fee" in entry.get_change_message() and "2500" not in entry.change_message


@pytest.mark.parametrize(
    "body, field",
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"currency": "dollars"}, "currency"),
        ({"late_cancel_fee": -1}, "late_cancel_fee"),
        ({"reminder_offsets_minutes": [5]}, "reminder_offsets_minutes"),
        ({"hold_minutes": 0}, "hold_minutes"),
    ],
)
def test_studio_patch_refuses_bad_values_by_field(owner, body, field):
    r = owner.patch("/api/studio/", body, format="json")
    assert r.status_code == 400 and field in r.json(), r.json()
    assert not LogEntry.objects.exists()


def test_studio_currency_is_fixed_once_bookings_exist(owner, desk):
    factories.BookingFactory(service=desk.session, specialist=desk.specialist)
    r = owner.patch("/api/studio/", {"currency": "EUR"}, format="json")
    assert r.status_code == 400 and "currency" in r.json()


def test_online_payments_follows_the_stripe_keys(owner, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert owner.get("/api/studio/").json()["online_payments"] == "on"


def test_studio_patch_is_for_the_owner(api_as, specialist):
    r = api_as(specialist.user).patch("/api/studio/", {"late_cancel_fee": 1}, format="json")
    assert r.status_code == 403


def test_owner_adds_a_service_and_it_is_bookable_at_once(owner, api, desk, monday):
    r = owner.post(
        "/api/services/",
        {
            "name": "Reformer private",
            "duration_minutes": 50,
            "price": 12000,
            "deposit": 3000,
            "specialists": [desk.specialist.pk],
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["slug"] == "reformer-private" and body["currency"] == "USD"
    assert body["specialists"] == [desk.specialist.pk] and body["active"] is True
    listed = {s["slug"] for s in api.get("/api/services/").json()}
    assert "reformer-private" in listed
    slots = api.get(
        "/api/availability/?service=reformer-private&start=2026-06-02&end=2026-06-02"
    ).json()["slots"]
    assert slots
    assert owner.post("/api/services/", {"name": "Reformer private", "duration_minutes": 50,
                                         "price": 1}, format="json").status_code == 409  # fmt: skip


def test_owner_changes_a_service(owner, api, desk, monday):
    url = "/api/services/private-session/"
    assert owner.patch(url, {"deposit": 20000}, format="json").status_code == 400
    r = owner.patch(url, {"price": 11000, "clients_only": True}, format="json")
    assert r.status_code == 200 and r.json()["price"] == 11000 and r.json()["clients_only"]
    assert owner.patch(url, {"active": False}, format="json").status_code == 200
    assert "private-session" not in {s["slug"] for s in api.get("/api/services/").json()}
    assert owner.patch("/api/services/nope/", {"price": 1}, format="json").status_code == 404
    assert Service.objects.get(slug="private-session").audience == "existing"


def test_services_writes_are_for_the_owner(api, api_as, desk):
    body = {"name": "X", "duration_minutes": 30, "price": 0}
    assert api.post("/api/services/", body, format="json").status_code == 401
    r = api_as(desk.specialist.user).post("/api/services/", body, format="json")
    assert r.status_code == 403


def test_owner_invites_a_specialist_with_a_set_password_link(
    owner, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = owner.post(
            "/api/staff/",
            {"email": "Nina@Example.org", "name": "Nina Park", "role": "specialist"},
            format="json",
        )
    assert r.status_code == 201, r.json()
    user = User.objects.get(email="nina@example.org")
    assert user.role == "specialist" and not user.has_usable_password()
    assert SpecialistProfile.objects.get(user=user).is_active
    [message] = mail.outbox
    assert message.to == ["nina@example.org"]
    link = re.search(r"https?://\S+", message.body).group(0)
    page = client.get(urlsplit(link).path, follow=True)
    assert page.status_code == 200 and b'type="password"' in page.content
    again = owner.post(
        "/api/staff/", {"email": "nina@example.org", "name": "N", "role": "owner"}, format="json"
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-address", "name": "N", "role": "specialist"},
        {"email": "n@example.org", "name": "N", "role": "client"},
        {"email": "n@example.org", "role": "specialist"},
    ],
)
def test_staff_invite_bad_input_is_400(owner, body):
    assert owner.post("/api/staff/", body, format="json").status_code == 400


def test_staff_invite_is_for_the_owner(api_as, specialist):
    body = {"email": "n@example.org", "name": "N", "role": "specialist"}
    assert api_as(specialist.user).post("/api/staff/", body, format="json").status_code == 403
    assert Studio.get()
