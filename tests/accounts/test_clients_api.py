"""Client records over the API: who may see and change what, and the audit trail."""

import pytest

from accounts.intake import intake_submit
from accounts.models import AuditEvent
from tests import factories
from tests.accounts.conftest import intake_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def hannah(conditions, intake_form, specialist):
    """A client with red flags; `specialist` is on her care team."""
    profile = factories.ClientFactory(
        user__email="hannah@example.net", user__first_name="Hannah", phone="555-0101"
    )
    factories.on_care_team(profile, specialist)
    intake_submit(
        client=profile,
        intake_form=intake_form,
        answers=intake_answers(parq_joint="yes"),
        signature_name="Hannah",
        consent=True,
    )
    return profile


def test_client_list_is_for_staff(api, api_as, specialist, hannah):
    assert api.get("/api/clients/").status_code == 401
    assert api_as(hannah.user).get("/api/clients/").status_code == 403
    rows = api_as(specialist.user).get("/api/clients/").json()
    assert [(r["id"], r["name"], r["email"], r["has_red_flags"]) for r in rows] == [
        (hannah.pk, hannah.user.name, "hannah@example.net", True)
    ]


def test_client_list_searches_by_name_email_or_phone(api_as, specialist, hannah):
    factories.ClientFactory(user__email="joy@example.net", user__first_name="Joy")
    staff = api_as(specialist.user)
    assert [r["email"] for r in staff.get("/api/clients/?search=hann").json()] == [
        "hannah@example.net"
    ]
    assert [r["email"] for r in staff.get("/api/clients/?search=0101").json()] == [
        "hannah@example.net"
    ]


def test_client_detail_has_email_conditions_and_red_flags(api_as, specialist, hannah):
    response = api_as(specialist.user).get(f"/api/clients/{hannah.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "hannah@example.net"
    assert {c["slug"] for c in body["conditions"]} == {
        "knee-bursitis",
        "postpartum-under-12-months",
    }
    assert body["red_flags"][0]["label"] == "Bone, joint or soft-tissue problem"
    assert "physician" in body["red_flags"][0]["advice"]


def test_client_detail_staff_view_is_audited(api_as, specialist, hannah):
    api_as(specialist.user).get(f"/api/clients/{hannah.pk}/", REMOTE_ADDR="198.51.100.4")
    event = AuditEvent.objects.get(client=hannah, action=AuditEvent.Action.VIEWED)
    assert event.actor == specialist.user
    assert event.ip == "198.51.100.4"
    assert "bursitis" not in event.what


def test_client_reads_own_record_but_gets_404_for_another(api_as, hannah):
    other = factories.ClientFactory()
    me = api_as(hannah.user)
    assert me.get(f"/api/clients/{hannah.pk}/").status_code == 200
    assert me.get("/api/clients/me/").json()["id"] == hannah.pk
    for path in (
        f"/api/clients/{other.pk}/",
        f"/api/clients/{other.pk}/export/",
        f"/api/clients/{other.pk}/erase/",
    ):
        method = me.post if path.endswith("erase/") else me.get
        assert method(path).status_code == 404, path
    assert me.patch(f"/api/clients/{other.pk}/", {"phone": "1"}, format="json").status_code == 404
    assert me.get("/api/clients/999999/").status_code == 404


def test_client_own_view_hides_staff_notes_and_is_not_audited(api_as, hannah):
    hannah.staff_notes = "Prefers morning sessions."
    hannah.save()
    body = api_as(hannah.user).get(f"/api/clients/{hannah.pk}/").json()
    assert body["staff_notes"] is None
    assert not AuditEvent.objects.filter(client=hannah, action="viewed").exists()


def test_client_may_patch_own_contact_details(api_as, hannah):
    response = api_as(hannah.user).patch(
        f"/api/clients/{hannah.pk}/",
        {"phone": "+1 423 555 0199", "first_name": "Hanna", "timezone": "Europe/London"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["phone"] == "+1 423 555 0199"
    assert response.json()["first_name"] == "Hanna"
    hannah.refresh_from_db()
    assert hannah.timezone == "Europe/London"
    event = AuditEvent.objects.get(
        client=hannah, action="changed", actor=hannah.user, what__startswith="changed"
    )
    assert "0199" not in event.what  # field names, never values


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"conditions": []}, 403, "conditions"),
        ({"goals": "x"}, 403, "goals"),
        ({"staff_notes": "x"}, 403, "staff_notes"),
        ({"red_flags": []}, 400, "red_flags"),
        ({"email": "new@example.net"}, 400, "email"),
        ({"timezone": "Mars/Olympus"}, 400, "timezone"),
    ],
)
def test_client_may_not_patch_anything_but_contact(api_as, hannah, payload, status, field):
    response = api_as(hannah.user).patch(f"/api/clients/{hannah.pk}/", payload, format="json")
    assert response.status_code == status
    assert field in response.json()
    hannah.refresh_from_db()
    assert hannah.red_flags and hannah.conditions.count() == 2


def test_staff_may_patch_health_fields(api_as, specialist, hannah):
    response = api_as(specialist.user).patch(
        f"/api/clients/{hannah.pk}/",
        {
            "conditions": ["osteoporosis"],
            "staff_notes": "Cleared by GP.",
            "assigned_specialist": specialist.pk,
        },
        format="json",
    )
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()["conditions"]] == ["osteoporosis"]
    assert response.json()["assigned_specialist"] == specialist.pk
    event = AuditEvent.objects.filter(client=hannah, actor=specialist.user, action="changed").get()
    assert event.what == "changed assigned_specialist, conditions, staff_notes"


def test_staff_patch_unknown_condition_is_400(api_as, specialist, hannah):
    response = api_as(specialist.user).patch(
        f"/api/clients/{hannah.pk}/", {"conditions": ["no-such-thing"]}, format="json"
    )
    assert response.status_code == 400 and "conditions" in response.json()


def test_client_list_query_count_is_flat(
    api_as, specialist, conditions, django_assert_max_num_queries
):
    def client_on_team():
        client = factories.on_care_team(factories.ClientFactory(), specialist)
        client.conditions.add(conditions["osteoporosis"])
        factories.ClientFactory()  # another team's client, never shown

    for _ in range(3):
        client_on_team()
    staff = api_as(specialist.user)
    with django_assert_max_num_queries(4) as few:
        staff.get("/api/clients/")
    for _ in range(10):
        client_on_team()
    with django_assert_max_num_queries(len(few)):
        assert len(staff.get("/api/clients/").json()) == 13
