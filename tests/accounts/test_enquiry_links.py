"""Issue 19: an enquiry, the client it becomes and their booking are one story. What the
enquirer ticked reaches the client's file (for staff to confirm), the intake form and the
program builder's warnings; the inbox says "already a client" instead of offering Convert."""

import pytest

from accounts import enquiries, services
from accounts.models import AuditEvent, ClientProfile, Enquiry
from accounts.privacy import client_erase
from bookings.services import client_for_booking
from programs import contraindications
from programs.demo import seed_catalog
from programs.models import Exercise
from tests import factories

pytestmark = pytest.mark.django_db

GUEST = {"name": "Priya Guest", "email": "priya@example.net"}


def pregnancy_enquiry(**extra) -> Enquiry:
    fields = {**GUEST, "message": "Can I do this while pregnant?", **extra}
    return enquiries.enquiry_create(consent=True, concerns=["pregnancy"], **fields)


def test_a_guest_who_enquired_about_pregnancy_then_booked_is_warned_about_in_the_builder(db):
    seed_catalog()
    enquiry = pregnancy_enquiry()
    profile, created = client_for_booking(user=None, **GUEST)
    assert created
    enquiry.refresh_from_db()
    assert enquiry.client == profile and enquiry.status == Enquiry.Status.NEW
    assert [c.slug for c in profile.conditions.all()] == ["pregnancy"]
    assert [c.slug for c in profile.conditions_to_confirm.all()] == ["pregnancy"]
    assert AuditEvent.objects.filter(client=profile, what=f"linked enquiry {enquiry.pk}").exists()
    # The builder's check sees it: an exercise contraindicated in pregnancy is flagged.
    held = contraindications.client_conditions([profile])[profile.pk]
    exercise = Exercise.objects.filter(contraindications__slug="pregnancy").first()
    assert [c.slug for c in contraindications.flagged(exercise, held)] == ["pregnancy"]


def test_an_enquiry_never_writes_into_an_existing_clients_file(db, conditions):
    existing = factories.ClientFactory(user__email=GUEST["email"])
    enquiry = pregnancy_enquiry()
    profile, created = client_for_booking(user=None, **GUEST)
    assert profile == existing and not created
    enquiry.refresh_from_db()
    assert enquiry.client is None and not profile.conditions.exists()


def test_convert_carries_concerns_to_confirm_and_saving_the_conditions_confirms_them(
    client, specialist, conditions, make_enquiry
):
    enquiry = make_enquiry()  # knee bursitis, postpartum, and free text
    client.force_login(specialist.user)
    client.post(f"/accounts/enquiries/{enquiry.pk}/convert/")
    profile = ClientProfile.objects.get()
    carried = sorted(c.slug for c in profile.conditions_to_confirm.all())
    assert carried == ["knee-bursitis", "postpartum-under-12-months"]
    page = client.get(f"/accounts/clients/{profile.pk}/").content.decode()
    assert "From the enquiry, not yet confirmed:" in page
    edit = client.get(f"/accounts/clients/{profile.pk}/edit/").content.decode()
    assert "From the enquiry, to confirm with" in edit
    # Saving the edit form unchanged is the confirmation.
    services.client_update(
        client=profile, by=specialist.user, data={"conditions": list(profile.conditions.all())}
    )
    assert not profile.conditions_to_confirm.exists()
    assert (
        "not yet confirmed" not in client.get(f"/accounts/clients/{profile.pk}/").content.decode()
    )


def test_saving_the_edit_form_confirms_the_carried_conditions(client, specialist, conditions):
    pregnancy_enquiry()
    profile, _ = client_for_booking(user=None, **GUEST)
    factories.on_care_team(profile.user, specialist.user)
    client.force_login(specialist.user)
    form = {
        "first_name": "Priya",
        "last_name": "Guest",
        "preferred_contact": "email",
        "timezone": profile.timezone,
        "conditions": ["pregnancy"],
    }
    response = client.post(f"/accounts/clients/{profile.pk}/edit/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not profile.conditions_to_confirm.exists()
    assert [c.slug for c in profile.conditions.all()] == ["pregnancy"]


def test_inbox_says_already_a_client_instead_of_offering_convert(client, specialist, conditions):
    linked = pregnancy_enquiry()
    profile, _ = client_for_booking(user=None, **GUEST)
    factories.on_care_team(profile.user, specialist.user)
    later = pregnancy_enquiry(message="One more question.")  # sent after booking: not linked
    stranger = pregnancy_enquiry(name="New Person", email="new@example.net")
    client.force_login(specialist.user)
    html = client.get("/accounts/enquiries/").content.decode()
    card = {
        e.pk: html.split(f'id="enquiry-{e.pk}"')[1].split("</article>")[0]
        for e in (linked, later, stranger)
    }
    for pk in (linked.pk, later.pk):
        assert "Already a client" in card[pk] and f"/accounts/clients/{profile.pk}/" in card[pk]
        assert "Convert to client" not in card[pk]
    assert "Add to their file" in card[later.pk] and "enquiry-convert" not in card[linked.pk]
    assert "Convert to client" in card[stranger.pk] and "Already a client" not in card[stranger.pk]


def test_inbox_does_not_open_another_teams_client(client, specialist, conditions):
    pregnancy_enquiry()
    client_for_booking(user=None, **GUEST)  # nobody's care team yet
    later = pregnancy_enquiry(message="Again.")
    client.force_login(specialist.user)
    html = client.get("/accounts/enquiries/").content.decode()
    card = html.split(f'id="enquiry-{later.pk}"')[1].split("</article>")[0]
    assert "Already a client" in card and "another specialist" in card
    assert "/accounts/clients/" not in card and "Convert" not in card


def test_the_intake_form_is_prefilled_from_the_enquiry(client, conditions, intake_form):
    pregnancy_enquiry()
    profile, _ = client_for_booking(user=None, **GUEST)
    client.force_login(profile.user)
    html = client.get("/accounts/intake/").content.decode()
    assert 'name="q-conditions" value="pregnancy"' in html
    ticked = html.split('name="q-conditions" value="pregnancy"')[1].split(">")[0]
    assert "checked" in ticked
    chosen = html.split('name="q-pregnancy" value="pregnant"')[1].split(">")[0]
    assert "checked" in chosen


def test_erasing_the_client_clears_the_conditions_to_confirm(db, conditions):
    pregnancy_enquiry()
    profile, _ = client_for_booking(user=None, **GUEST)
    client_erase(client=profile, by=factories.owner())
    assert not profile.conditions_to_confirm.exists()
