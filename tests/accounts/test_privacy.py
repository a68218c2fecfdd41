"""Export everything stored about a client; erase the person but keep bookings' accounting."""

import pytest
from django.dispatch import receiver

from accounts.intake import intake_submit
from accounts.models import AuditEvent, ClientProfile, Enquiry
from accounts.signals import client_erase, client_export
from tests import factories
from tests.accounts.conftest import HANNAH_MESSAGE, intake_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def hannah(conditions, intake_form, make_enquiry, specialist):
    """A converted client with an intake; `specialist` is on her care team."""
    profile = factories.ClientFactory(
        user__email="hannah@example.net",
        user__first_name="Hannah",
        user__last_name="Brooks",
        phone="555-0101",
        staff_notes="Knees first.",
    )
    factories.on_care_team(profile, specialist)
    make_enquiry(client=profile, status=Enquiry.Status.CONVERTED)
    intake_submit(
        client=profile,
        intake_form=intake_form,
        answers=intake_answers(parq_joint="yes", date_of_birth="1991-04-12"),
        signature_name="Hannah Brooks",
        consent=True,
        ip="203.0.113.9",
    )
    return profile


def test_client_export_holds_everything_stored(api_as, specialist, hannah):
    response = api_as(specialist.user).get(f"/api/clients/{hannah.pk}/export/")

    assert response.status_code == 200
    data = response.json()
    person = data["client"]
    assert (person["email"], person["first_name"], person["phone"]) == (
        "hannah@example.net",
        "Hannah",
        "555-0101",
    )
    assert person["date_of_birth"] == "1991-04-12"
    assert person["staff_notes"] == "Knees first."
    assert {c["slug"] for c in person["conditions"]} == {
        "knee-bursitis",
        "postpartum-under-12-months",
    }
    assert [f["code"] for f in person["red_flags"]] == ["parq_joint"]
    [intake] = data["intake_submissions"]
    assert intake["form_version"] == 1 and intake["signed_ip"] == "203.0.113.9"
    assert intake["answers"]["parq_joint"] == "yes"
    readable = {row["question"]: row["answer"] for row in intake["answers_readable"]}
    assert readable["How active are you at the moment?"] == "Active once or twice a week"
    [enquiry] = data["enquiries"]
    assert enquiry["message"] == HANNAH_MESSAGE
    assert any(e["what"] == "intake submitted" for e in data["audit_events"])
    assert AuditEvent.objects.filter(
        client=hannah, actor=specialist.user, action=AuditEvent.Action.EXPORTED
    ).exists()


def test_client_exports_own_data_as_json_even_from_a_browser_link(client, hannah):
    client.force_login(hannah.user)
    response = client.get(f"/api/clients/{hannah.pk}/export/", HTTP_ACCEPT="text/html,*/*")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["client"]["email"] == "hannah@example.net"


def test_client_export_includes_sections_from_other_apps(api_as, specialist, hannah):
    @receiver(client_export)
    def add_section(sender, client, **kwargs):
        return {"programs": [{"client": client.pk, "title": "Knee care"}]}

    try:
        data = api_as(specialist.user).get(f"/api/clients/{hannah.pk}/export/").json()
    finally:
        client_export.disconnect(add_section)
    assert data["programs"] == [{"client": hannah.pk, "title": "Knee care"}]


def test_client_erase_scrubs_the_person_and_keeps_bookings(api_as, owner_user, hannah):
    booking = factories.BookingFactory(client=hannah, price=9500, notes="")
    scrubbed = []

    @receiver(client_erase)
    def scrub(sender, client, now, **kwargs):
        scrubbed.append(client.pk)

    try:
        response = api_as(owner_user).post(
            f"/api/clients/{hannah.pk}/erase/", {"confirm": True}, format="json"
        )
    finally:
        client_erase.disconnect(scrub)

    assert response.status_code == 200
    hannah.refresh_from_db()
    user = hannah.user
    assert hannah.erased_at is not None
    assert (user.first_name, user.email) == ("Erased", f"erased-{user.pk}@erased.invalid")
    assert not user.is_active and not user.has_usable_password()
    assert (hannah.phone, hannah.goals, hannah.staff_notes, hannah.red_flags) == ("", "", "", [])
    assert hannah.date_of_birth is None and hannah.conditions.count() == 0
    assert not hannah.intakes.exists()
    enquiry = Enquiry.objects.get(client=hannah)
    assert (enquiry.name, enquiry.message, enquiry.concerns) == ("Erased", "", [])
    booking.refresh_from_db()  # the accounting row stays, still pointing at the profile
    assert booking.client_id == hannah.pk and booking.price == 9500
    assert scrubbed == [hannah.pk]
    assert AuditEvent.objects.filter(client=hannah, action="erased", actor=owner_user).exists()
    export = api_as(owner_user).get(f"/api/clients/{hannah.pk}/export/").json()
    assert "hannah" not in str(export).lower() and "bursitis" not in str(export).lower()


def test_client_erase_also_scrubs_unconverted_enquiries_from_the_same_address(
    api_as, owner_user, hannah, make_enquiry
):
    loose = make_enquiry(email="Hannah@Example.net")
    api_as(owner_user).post(f"/api/clients/{hannah.pk}/erase/", {"confirm": True}, format="json")
    loose.refresh_from_db()
    assert loose.message == "" and loose.name == "Erased"


def test_client_erase_is_owner_only_and_needs_confirmation(api_as, specialist, owner_user, hannah):
    path = f"/api/clients/{hannah.pk}/erase/"
    assert api_as(specialist.user).post(path, {"confirm": True}, format="json").status_code == 403
    assert api_as(hannah.user).post(path, {"confirm": True}, format="json").status_code == 403
    missing = api_as(owner_user).post(path, {}, format="json")
    assert missing.status_code == 400 and "confirm" in missing.json()
    assert ClientProfile.objects.get(pk=hannah.pk).erased_at is None


def test_client_erase_twice_is_409(api_as, owner_user, hannah):
    path = f"/api/clients/{hannah.pk}/erase/"
    owner = api_as(owner_user)
    assert owner.post(path, {"confirm": True}, format="json").status_code == 200
    assert owner.post(path, {"confirm": True}, format="json").status_code == 409


def test_erased_client_can_no_longer_log_in(api, hannah, owner_user, api_as):
    hannah.user.set_password("pass-word-123")
    hannah.user.save()
    api_as(owner_user).post(f"/api/clients/{hannah.pk}/erase/", {"confirm": True}, format="json")
    response = api.post(
        "/api/auth/token/",
        {"email": "hannah@example.net", "password": "pass-word-123"},
        format="json",
    )
    assert response.status_code == 400


def test_client_record_of_an_erased_client_cannot_be_edited(api_as, owner_user, hannah):
    owner = api_as(owner_user)
    owner.post(f"/api/clients/{hannah.pk}/erase/", {"confirm": True}, format="json")
    response = owner.patch(f"/api/clients/{hannah.pk}/", {"phone": "1"}, format="json")
    assert response.status_code == 403
