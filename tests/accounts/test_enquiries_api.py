import logging
import re

import pytest
from django.core import mail

from accounts.models import AuditEvent, ClientProfile, Enquiry, User
from tests import factories
from tests.accounts.conftest import HANNAH_MESSAGE, enquiry_payload

pytestmark = pytest.mark.django_db


def post_enquiry(api, capture, **overrides):
    with capture(execute=True):
        return api.post("/api/enquiries/", enquiry_payload(**overrides), format="json")


def test_enquiry_create_stores_it_and_sends_both_emails(
    api, conditions, django_capture_on_commit_callbacks
):
    response = post_enquiry(api, django_capture_on_commit_callbacks)

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "new"
    enquiry = Enquiry.objects.get(pk=body["id"])
    assert enquiry.email == "hannah@example.net"
    assert enquiry.message == HANNAH_MESSAGE
    assert enquiry.consent and enquiry.consent_at is not None
    assert enquiry.concerns == ["knee-bursitis", "Postpartum (under 12 months)", "lifting my baby"]
    assert sorted(m.to[0] for m in mail.outbox) == ["hannah@example.net", "studio@example.com"]
    enquiry.refresh_from_db()
    assert enquiry.notified_at is not None and enquiry.acknowledged_at is not None


def test_enquiry_emails_carry_no_health_details(
    api, conditions, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    post_enquiry(api, django_capture_on_commit_callbacks)

    for message in mail.outbox:
        assert "bursitis" not in message.subject.lower()
        assert "bursitis" not in message.body.lower()
        assert "postpartum" not in message.body.lower()
    studio_mail = next(m for m in mail.outbox if m.to == ["studio@example.com"])
    assert "/accounts/enquiries/" in studio_mail.body
    assert "bursitis" not in caplog.text.lower() and "baby" not in caplog.text.lower()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"consent": False}, "consent"),
        ({"consent": None}, "consent"),
        ({"email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"message": "x" * 5001}, "message"),
        ({"concerns": "knees"}, "concerns"),
        ({"preferred_contact": "pigeon"}, "preferred_contact"),
    ],
)
def test_enquiry_create_rejects_bad_input_naming_the_field(api, db, overrides, field):
    response = api.post("/api/enquiries/", enquiry_payload(**overrides), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert Enquiry.objects.count() == 0


def test_enquiry_create_without_consent_field_is_400(api, db):
    payload = enquiry_payload()
    del payload["consent"]
    response = api.post("/api/enquiries/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["consent"] == ["This field is required."]


def test_enquiry_message_cap_follows_the_setting(api, db, settings):
    settings.ENQUIRY_MESSAGE_MAX_LENGTH = 100
    response = api.post("/api/enquiries/", enquiry_payload(message="y" * 101), format="json")
    assert response.status_code == 400
    assert "100" in response.json()["message"][0]


def test_enquiry_malformed_json_is_400(api, db):
    response = api.generic(
        "POST", "/api/enquiries/", '{"name": "Hannah",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_enquiry_honeypot_is_accepted_but_stored_as_spam(
    api, db, django_capture_on_commit_callbacks
):
    response = post_enquiry(api, django_capture_on_commit_callbacks, website="http://spam.example")

    assert response.status_code == 201
    assert response.json()["status"] == "new"  # the bot learns nothing
    assert Enquiry.objects.get(pk=response.json()["id"]).status == Enquiry.Status.SPAM
    assert mail.outbox == []


def test_enquiry_list_is_staff_only(api, api_as, make_enquiry, specialist, client_profile):
    make_enquiry()
    assert api.get("/api/enquiries/").status_code == 401
    assert api_as(client_profile.user).get("/api/enquiries/").status_code == 403
    assert api_as(specialist.user).get("/api/enquiries/").status_code == 200


def test_enquiry_list_is_newest_first_and_filters_by_status(api_as, make_enquiry, specialist):
    first = make_enquiry(name="First")
    second = make_enquiry(name="Second")
    make_enquiry(name="Spammer", status=Enquiry.Status.SPAM)
    staff = api_as(specialist.user)

    rows = staff.get("/api/enquiries/").json()
    assert [r["name"] for r in rows] == ["Spammer", "Second", "First"]
    assert {"id", "name", "email", "status", "created"} <= set(rows[0])

    rows = staff.get("/api/enquiries/?status=new").json()
    assert [r["id"] for r in rows] == [second.pk, first.pk]
    bad = staff.get("/api/enquiries/?status=bogus")
    assert bad.status_code == 400 and "status" in bad.json()


def test_enquiry_patch_changes_status_and_notes(api_as, make_enquiry, specialist):
    enquiry = make_enquiry()
    staff = api_as(specialist.user)

    response = staff.patch(
        f"/api/enquiries/{enquiry.pk}/",
        {"status": "contacted", "staff_notes": "Called, will book next week."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "contacted"
    assert response.json()["staff_notes"] == "Called, will book next week."
    converted = staff.patch(f"/api/enquiries/{enquiry.pk}/", {"status": "converted"}, format="json")
    assert converted.status_code == 400 and "status" in converted.json()


def test_enquiry_convert_creates_the_client_and_emails_a_signed_intake_link(
    api_as, make_enquiry, specialist, conditions, django_capture_on_commit_callbacks
):
    enquiry = make_enquiry()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(specialist.user).post(f"/api/enquiries/{enquiry.pk}/convert/")

    assert response.status_code == 201
    client = ClientProfile.objects.get(pk=response.json()["client"])
    assert client.user.email == "hannah@example.net"
    assert (client.user.first_name, client.user.last_name) == ("Hannah", "Brooks")
    assert client.user.role == User.Role.CLIENT and not client.user.has_usable_password()
    assert client.phone == "+1 423 555 0101"
    assert set(client.conditions.values_list("slug", flat=True)) == {
        "knee-bursitis",
        "postpartum-under-12-months",
    }
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.CONVERTED and enquiry.client == client
    assert AuditEvent.objects.filter(
        client=client, actor=specialist.user, action=AuditEvent.Action.CREATED
    ).exists()
    [invite] = mail.outbox
    assert invite.to == ["hannah@example.net"]
    assert "bursitis" not in invite.subject.lower()
    link = re.search(r"http://\S+/accounts/intake/(\S+)/", invite.body)
    assert link, invite.body
    assert "bursitis" not in link.group(0).lower()
    client.refresh_from_db()
    assert client.intake_sent_at is not None


def test_enquiry_convert_twice_is_409(api_as, make_enquiry, specialist):
    enquiry = make_enquiry()
    staff = api_as(specialist.user)
    assert staff.post(f"/api/enquiries/{enquiry.pk}/convert/").status_code == 201

    again = staff.post(f"/api/enquiries/{enquiry.pk}/convert/")
    assert again.status_code == 409
    assert "already" in again.json()["detail"]
    assert ClientProfile.objects.filter(user__email="hannah@example.net").count() == 1


def test_enquiry_convert_of_spam_or_staff_email_is_409(api_as, make_enquiry, specialist):
    spam = make_enquiry(status=Enquiry.Status.SPAM)
    staff_email = make_enquiry(email=specialist.user.email)
    staff = api_as(specialist.user)
    assert staff.post(f"/api/enquiries/{spam.pk}/convert/").status_code == 409
    assert staff.post(f"/api/enquiries/{staff_email.pk}/convert/").status_code == 409


def test_enquiry_convert_links_a_second_enquiry_to_the_existing_client(
    api_as, make_enquiry, specialist
):
    existing = factories.on_care_team(
        factories.ClientFactory(user__email="hannah@example.net"), specialist
    )
    enquiry = make_enquiry()
    response = api_as(specialist.user).post(f"/api/enquiries/{enquiry.pk}/convert/")
    assert response.status_code == 201
    assert response.json()["client"] == existing.pk


def test_enquiry_convert_refuses_an_existing_client_off_the_converters_care_teams(
    api_as, make_enquiry, specialist
):
    """Anyone can send an enquiry with a client's address: converting it must not write into
    that client's file, nor put the converting specialist on the client's care team."""
    existing = factories.ClientFactory(user__email="hannah@example.net")
    enquiry = make_enquiry()
    response = api_as(specialist.user).post(f"/api/enquiries/{enquiry.pk}/convert/")
    assert response.status_code == 409 and "care team" in response.json()["detail"]
    enquiry.refresh_from_db()
    assert enquiry.client is None and enquiry.status == "new"
    assert not existing.care_team.exists()
    # The owner converts it; the enquiry joins the client's records.
    response = api_as(factories.owner()).post(f"/api/enquiries/{enquiry.pk}/convert/")
    assert response.status_code == 201 and response.json()["client"] == existing.pk


def test_enquiry_convert_is_staff_only_and_404_for_unknown(api_as, make_enquiry, client_profile):
    enquiry = make_enquiry()
    assert (
        api_as(client_profile.user).post(f"/api/enquiries/{enquiry.pk}/convert/").status_code == 403
    )
    owner = factories.owner()
    assert api_as(owner).post("/api/enquiries/999999/convert/").status_code == 404


def test_enquiry_api_takes_json_only(api, db):
    response = api.post("/api/enquiries/", enquiry_payload(concerns=[]), format="multipart")
    assert response.status_code == 415
    assert "detail" in response.json()
