"""The HTML pages: enquiry form, staff inbox, client list and file, the client's own profile."""

import pytest
from django.core import mail

from accounts.intake import intake_submit
from accounts.models import AuditEvent, ClientProfile, Enquiry
from tests import factories
from tests.accounts.conftest import intake_answers

pytestmark = pytest.mark.django_db

SCRIPT_NAME = '<script>alert("owned")</script>'


def enquiry_form(**overrides) -> dict:
    data = {
        "name": "Joy Carter",
        "email": "joy@example.net",
        "phone": "",
        "preferred_contact": "phone",
        "concerns": ["knee-bursitis"],
        "other_concern": "tight inner thighs",
        "message": "How wide should I open my legs in the wall stretch?",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_enquire_page_lists_conditions_to_pick(client, conditions):
    response = client.get("/enquire/")
    assert response.status_code == 200
    assert b"Knee bursitis (incl. pes anserine)" in response.content
    assert b'name="website"' in response.content  # the honeypot


def test_enquire_page_stores_the_enquiry_and_confirms(
    client, conditions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/enquire/", enquiry_form(), follow=True)

    assert response.redirect_chain == [("/enquire/thanks/", 302)]
    assert b"Thank you, we have your message" in response.content
    enquiry = Enquiry.objects.get()
    assert enquiry.concerns == ["knee-bursitis", "tight inner thighs"]
    assert enquiry.preferred_contact == "phone" and enquiry.status == "new"
    assert len(mail.outbox) == 2


def test_enquire_page_shows_errors_without_consent(client, conditions):
    response = client.post("/enquire/", enquiry_form(consent="", email="nope"))
    assert response.status_code == 200
    assert b"Please agree so we can keep your message." in response.content
    assert b"Enter a valid email address." in response.content
    assert b"How wide should I open my legs" in response.content  # nothing typed is lost
    assert not Enquiry.objects.exists()


def test_enquire_page_honeypot_is_stored_as_spam(client, conditions):
    response = client.post("/enquire/", enquiry_form(website="http://buy.example"))
    assert response.status_code == 302
    assert Enquiry.objects.get().status == Enquiry.Status.SPAM


def test_visitor_text_renders_as_text_not_html(client, specialist, make_enquiry):
    enquiry = make_enquiry(
        name=SCRIPT_NAME, message='<img src=x onerror="alert(1)">', concerns=["<b>bold</b>"]
    )
    client.force_login(specialist.user)

    inbox = client.get("/accounts/enquiries/").content.decode()
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in inbox
    assert SCRIPT_NAME not in inbox
    assert "<img src=x" not in inbox and "&lt;img src=x" in inbox
    assert "<b>bold</b>" not in inbox

    client.post(f"/accounts/enquiries/{enquiry.pk}/convert/")
    profile = ClientProfile.objects.get()
    for path in (f"/accounts/clients/{profile.pk}/", "/accounts/clients/", "/workspace/"):
        page = client.get(path).content.decode()
        assert "<script>alert" not in page, path
    assert "&lt;script&gt;" in client.get(f"/accounts/clients/{profile.pk}/").content.decode()


@pytest.mark.parametrize(
    "path", ["/accounts/enquiries/", "/accounts/clients/", "/accounts/clients/{pk}/"]
)
def test_staff_pages_refuse_clients_and_ask_visitors_to_log_in(client, client_profile, path):
    path = path.format(pk=client_profile.pk)
    assert client.get(path)["Location"].startswith("/accounts/login/")
    client.force_login(client_profile.user)
    assert client.get(path).status_code == 403


def test_inbox_shows_new_enquiries_first_and_filters_by_status(client, specialist, make_enquiry):
    make_enquiry(name="Open One")
    make_enquiry(name="Already Called", status=Enquiry.Status.CONTACTED)
    make_enquiry(name="Junk Mail", status=Enquiry.Status.SPAM)
    client.force_login(specialist.user)
    default = client.get("/accounts/enquiries/").content
    assert b"Open One" in default and b"Junk Mail" not in default
    assert default.index(b"Open One") < default.index(b"Already Called")
    spam = client.get("/accounts/enquiries/?status=spam").content
    assert b"Junk Mail" in spam and b"Open One" not in spam


def test_inbox_status_change_with_htmx_returns_the_card(client, specialist, make_enquiry):
    enquiry = make_enquiry()
    client.force_login(specialist.user)
    response = client.post(
        f"/accounts/enquiries/{enquiry.pk}/status/",
        {"status": "contacted", "back": "/accounts/enquiries/?status=open"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="enquiry" id="enquiry-{enquiry.pk}"')
    assert "badge-contacted" in html and "Status updated." in html
    assert 'value="/accounts/enquiries/?status=open"' in html
    enquiry.refresh_from_db()
    assert enquiry.status == "contacted"


def test_inbox_forms_work_without_javascript(client, specialist, make_enquiry):
    enquiry = make_enquiry()
    client.force_login(specialist.user)
    response = client.post(
        f"/accounts/enquiries/{enquiry.pk}/notes/",
        {"staff_notes": "Call after 5pm", "back": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/enquiries/#enquiry-{enquiry.pk}"
    enquiry.refresh_from_db()
    assert enquiry.staff_notes == "Call after 5pm"


def test_inbox_convert_twice_shows_a_message_not_an_error(client, specialist, make_enquiry):
    enquiry = make_enquiry()
    client.force_login(specialist.user)
    client.post(f"/accounts/enquiries/{enquiry.pk}/convert/")
    again = client.post(f"/accounts/enquiries/{enquiry.pk}/convert/", HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    assert b"already been converted" in again.content
    assert ClientProfile.objects.count() == 1


def test_inbox_query_count_is_flat(client, specialist, make_enquiry, django_assert_max_num_queries):
    for _ in range(3):
        make_enquiry()
    client.force_login(specialist.user)
    client.get("/accounts/enquiries/")  # warm the session and studio row
    with django_assert_max_num_queries(12) as few:
        client.get("/accounts/enquiries/")
    for _ in range(20):
        make_enquiry()
    with django_assert_max_num_queries(len(few)):
        client.get("/accounts/enquiries/")


@pytest.fixture
def hannah(conditions, intake_form, specialist):
    """A client with a red flag; `specialist` is on her care team."""
    profile = factories.ClientFactory(user__first_name="Hannah", user__last_name="Brooks")
    factories.on_care_team(profile, specialist)
    intake_submit(
        client=profile,
        intake_form=intake_form,
        answers=intake_answers(parq_supervised="yes"),
        signature_name="Hannah Brooks",
        consent=True,
    )
    return profile


def test_client_file_shows_red_flags_prominently_and_is_audited(client, specialist, hannah):
    client.force_login(specialist.user)
    response = client.get(f"/accounts/clients/{hannah.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="red-flag"' in html
    assert html.index("Medically supervised activity only") < html.index("Intake form")
    assert "Advise to consult a physician before exercising." in html
    assert "Carry my baby without knee pain." in html
    event = AuditEvent.objects.get(client=hannah, action="viewed")
    assert (event.actor, event.what) == (specialist.user, "client file")


def test_client_file_of_unknown_client_is_404(client, specialist):
    client.force_login(specialist.user)
    assert client.get("/accounts/clients/424242/").status_code == 404


def test_client_file_only_offers_erase_to_the_owner(client, specialist, owner_user, hannah):
    client.force_login(specialist.user)
    assert b"Type ERASE" not in client.get(f"/accounts/clients/{hannah.pk}/").content
    client.post(f"/accounts/clients/{hannah.pk}/erase/", {"confirm": "ERASE"})
    hannah.refresh_from_db()
    assert hannah.erased_at is None

    client.force_login(owner_user)
    assert b"type ERASE" in client.get(f"/accounts/clients/{hannah.pk}/").content
    client.post(f"/accounts/clients/{hannah.pk}/erase/", {"confirm": "erase"})
    hannah.refresh_from_db()
    assert hannah.erased_at is not None


def test_client_edit_page_saves_and_audits(client, specialist, hannah, conditions):
    client.force_login(specialist.user)
    response = client.post(
        f"/accounts/clients/{hannah.pk}/edit/",
        {
            "first_name": "Hannah",
            "last_name": "Brooks",
            "phone": "555-0142",
            "preferred_contact": "text",
            "timezone": "America/Chicago",
            "goals": "Carry my baby without knee pain.",
            "conditions": ["knee-bursitis", "osteoporosis"],
            "staff_notes": "",
        },
    )
    assert response.status_code == 302
    hannah.refresh_from_db()
    assert hannah.phone == "555-0142" and hannah.timezone == "America/Chicago"
    assert set(hannah.conditions.values_list("slug", flat=True)) == {
        "knee-bursitis",
        "osteoporosis",
    }
    assert AuditEvent.objects.filter(
        client=hannah, action="changed", actor=specialist.user
    ).exists()


def test_client_profile_page_edits_contact_details(client, hannah):
    client.force_login(hannah.user)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200 and b"Download my data" in page.content
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Hannah",
            "last_name": "Brooks",
            "phone": "555-0177",
            "preferred_contact": "email",
            "timezone": "America/New_York",
            "goals": "sneaky",  # not a field of this form: ignored
        },
    )
    assert response.status_code == 302
    hannah.refresh_from_db()
    assert hannah.phone == "555-0177" and hannah.goals == "Carry my baby without knee pain."


def test_workspace_and_portal_show_the_accounts_panels(client, specialist, hannah, make_enquiry):
    make_enquiry(name="Dana Whitfield")
    client.force_login(specialist.user)
    workspace = client.get("/workspace/").content.decode()
    assert "Dana Whitfield" in workspace and "Open the inbox" in workspace
    assert "1 red flag" in workspace
    client.force_login(hannah.user)
    portal = client.get("/portal/").content.decode()
    assert "Health history received" in portal


def test_staff_pages_show_times_in_the_viewers_zone(client, specialist, hannah, make_enquiry):
    specialist.timezone = "Asia/Tokyo"
    specialist.save()
    make_enquiry()
    client.force_login(specialist.user)
    assert b" JST" in client.get("/accounts/enquiries/").content
    file_page = client.get(f"/accounts/clients/{hannah.pk}/").content
    assert b" JST" in file_page and b" UTC" not in file_page
