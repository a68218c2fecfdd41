"""The intake form: the signed link, setting a password, red flags, versions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts import intake_v1
from accounts.intake import intake_form_publish, intake_link_token, intake_submit
from accounts.models import AuditEvent, IntakeSubmission
from tests import factories
from tests.accounts.conftest import intake_answers

pytestmark = pytest.mark.django_db


def form_data(answers: dict, *, password: str | None = "a-Long-pass-phrase-42", **extra) -> dict:
    data = {}
    for key, value in answers.items():
        data[f"q-{key}"] = value
    if password:
        data["new_password1"] = data["new_password2"] = password
    data["sign-signature_name"] = "Hannah Brooks"
    data["sign-consent"] = "on"
    data.update(extra)
    return data


@pytest.fixture
def new_client(db):
    """A client fresh from conversion: no password yet."""
    user = factories.UserFactory(email="hannah@example.net", first_name="Hannah")
    user.set_unusable_password()
    user.save()
    return factories.ClientFactory(user=user)


def test_intake_link_from_conversion_email_opens_the_form(
    api_as, client, specialist, make_enquiry, intake_form, django_capture_on_commit_callbacks
):
    enquiry = make_enquiry()
    with django_capture_on_commit_callbacks(execute=True):
        api_as(specialist.user).post(f"/api/enquiries/{enquiry.pk}/convert/")
    path = re.search(r"http://[^/]+(/accounts/intake/\S+/)", mail.outbox[0].body).group(1)

    response = client.get(path)
    assert response.status_code == 200
    assert b"Choose a password" in response.content
    assert b"Has your doctor ever said that you have a heart condition" in response.content


def test_intake_submission_sets_password_logs_in_and_raises_red_flags(
    client, new_client, intake_form, conditions, django_capture_on_commit_callbacks
):
    token = intake_link_token(client=new_client)
    answers = intake_answers(parq_joint="yes", parq_heart="yes")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/accounts/intake/{token}/", form_data(answers), REMOTE_ADDR="203.0.113.7"
        )

    assert response.status_code == 302 and response["Location"] == "/portal/"
    submission = IntakeSubmission.objects.get(client=new_client)
    assert submission.form == intake_form
    assert submission.signature_name == "Hannah Brooks"
    assert submission.signed_ip == "203.0.113.7"
    assert submission.answers["pain_now"] == 6
    new_client.refresh_from_db()
    assert [f["code"] for f in new_client.red_flags] == ["parq_heart", "parq_joint"]
    assert all("physician" in f["advice"] for f in new_client.red_flags)
    assert set(new_client.conditions.values_list("slug", flat=True)) == {
        "knee-bursitis",
        "postpartum-under-12-months",
    }
    assert new_client.health_consent_at is not None
    assert new_client.goals == "Carry my baby without knee pain."
    new_client.user.refresh_from_db()
    assert new_client.user.check_password("a-Long-pass-phrase-42")
    assert client.get("/portal/").status_code == 200  # logged in
    [notice] = mail.outbox
    assert notice.subject.startswith("Intake form received")
    # No screening answer or question in the e-mail (as words: a name like "Reyes" is fine).
    assert not re.search(r"\b(yes|heart)\b", notice.body, re.IGNORECASE)


def test_intake_without_screening_yes_has_no_red_flags(client, new_client, intake_form):
    token = intake_link_token(client=new_client)
    client.post(f"/accounts/intake/{token}/", form_data(intake_answers(conditions=[])))
    new_client.refresh_from_db()
    assert new_client.red_flags == []
    assert IntakeSubmission.objects.get(client=new_client).red_flags == []


def test_intake_link_is_single_use(client, new_client, intake_form):
    token = intake_link_token(client=new_client)
    client.post(f"/accounts/intake/{token}/", form_data(intake_answers(conditions=[])))
    client.logout()

    again = client.get(f"/accounts/intake/{token}/")
    assert again.status_code == 404
    assert b"already been used" in again.content


def test_intake_link_expires(client, new_client, intake_form, settings):
    settings.INTAKE_LINK_MAX_AGE = 3600
    token = intake_link_token(client=new_client)
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        response = client.get(f"/accounts/intake/{token}/")
    assert response.status_code == 404
    assert b"expired" in response.content


def test_intake_link_tampered_is_404(client, new_client, intake_form):
    token = intake_link_token(client=new_client)
    assert client.get(f"/accounts/intake/{token[:-2]}xx/").status_code == 404


def test_intake_missing_answers_are_shown_per_question(client, new_client, intake_form):
    token = intake_link_token(client=new_client)
    answers = intake_answers()
    del answers["parq_chest_pain"]
    response = client.post(f"/accounts/intake/{token}/", form_data(answers, **{"sign-consent": ""}))
    assert response.status_code == 200
    assert b'aria-invalid="true"' in response.content
    assert b"Please confirm and agree" in response.content
    assert not IntakeSubmission.objects.exists()
    new_client.user.refresh_from_db()
    assert not new_client.user.has_usable_password()  # nothing saved on a failed attempt


def test_intake_link_for_a_client_with_a_password_asks_to_log_in(client, intake_form):
    profile = factories.ClientFactory()
    token = intake_link_token(client=profile)
    response = client.get(f"/accounts/intake/{token}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_intake_api_submit_validates_each_answer(api_as, client_profile, intake_form):
    client = api_as(client_profile.user)
    bad = intake_answers(pain_now="eleven", parq_heart="maybe")
    response = client.post(
        "/api/intake/",
        {"answers": bad, "signature_name": "Joy", "consent": True},
        format="json",
    )
    assert response.status_code == 400
    assert {"pain_now", "parq_heart"} <= set(response.json())
    no_consent = client.post(
        "/api/intake/",
        {"answers": intake_answers(), "signature_name": "Joy", "consent": False},
        format="json",
    )
    assert no_consent.status_code == 400 and "consent" in no_consent.json()


def test_intake_api_submit_returns_red_flags(api_as, client_profile, intake_form):
    response = api_as(client_profile.user).post(
        "/api/intake/",
        {
            "answers": intake_answers(parq_dizziness="yes", conditions=[]),
            "signature_name": "Joy Client",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 201
    assert [f["label"] for f in response.json()["red_flags"]] == [
        "Dizziness or loss of consciousness"
    ]
    assert AuditEvent.objects.filter(client=client_profile, what="intake submitted").exists()


def test_intake_api_is_for_clients_only(api_as, specialist, intake_form):
    response = api_as(specialist.user).post(
        "/api/intake/",
        {"answers": intake_answers(), "signature_name": "S", "consent": True},
        format="json",
    )
    assert response.status_code == 403


def test_intake_new_version_leaves_old_answers_alone(client_profile, intake_form, conditions):
    old = intake_submit(
        client=client_profile,
        intake_form=intake_form,
        answers=intake_answers(parq_joint="yes"),
        signature_name="Joy",
        consent=True,
    )
    questions = [dict(q) for q in intake_v1.QUESTIONS]
    questions[0] = {**questions[0], "label": "Your birthday"}
    questions.append(
        {"key": "sleep", "section": "Goals", "label": "Hours of sleep", "type": "text"}
    )
    v2 = intake_form_publish(questions=questions)

    assert v2.version == 2
    intake_form.refresh_from_db()
    assert intake_form.questions == intake_v1.QUESTIONS and not intake_form.is_active
    old.refresh_from_db()
    assert old.form == intake_form and old.answers["parq_joint"] == "yes"
    new = intake_submit(
        client=client_profile,
        intake_form=v2,
        answers=intake_answers(sleep="7"),
        signature_name="Joy",
        consent=True,
    )
    assert new.answers["sleep"] == "7" and new.form.version == 2
    client_profile.refresh_from_db()
    assert client_profile.red_flags == []  # the newest screening replaces the old one


def test_intake_form_publish_refuses_duplicate_keys(db):
    from studio.kernel.errors import Invalid

    with pytest.raises(Invalid):
        intake_form_publish(
            questions=[
                {"key": "a", "label": "A", "type": "text"},
                {"key": "a", "label": "B", "type": "text"},
            ]
        )


def test_intake_page_for_a_logged_in_client_prefills_the_last_answers(
    client, client_profile, intake_form, conditions
):
    intake_submit(
        client=client_profile,
        intake_form=intake_form,
        answers=intake_answers(goals="Walk to the park"),
        signature_name="Joy",
        consent=True,
    )
    client.force_login(client_profile.user)
    response = client.get("/accounts/intake/")
    assert response.status_code == 200
    assert b"Walk to the park" in response.content
    assert b"Choose a password" not in response.content


def test_intake_api_rejects_lists_where_one_answer_is_expected(api_as, client_profile, intake_form):
    response = api_as(client_profile.user).post(
        "/api/intake/",
        {
            "answers": intake_answers(date_of_birth=["1990-01-01"], goals={"a": 1}, conditions="x"),
            "signature_name": "Joy",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"date_of_birth", "goals", "conditions"} <= set(response.json())
