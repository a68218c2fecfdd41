"""The intake form: questions kept as versioned data, the signed link, submission and red flags."""

import logging
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from studio.kernel.errors import Invalid, NotFound
from studio.kernel.fields import validate_supported_date
from studio.kernel.outbox import outbox_add

from . import emails
from .audit import audit_record
from .models import AuditEvent, ClientProfile, Condition, IntakeForm, IntakeSubmission

log = logging.getLogger(__name__)

LINK_SALT = "accounts.intake-link"
YES_NO = [("yes", "Yes"), ("no", "No")]
SCALE = [(str(n), str(n)) for n in range(11)]


def link_max_age() -> int:
    """Seconds an intake link stays valid (INTAKE_LINK_MAX_AGE, default 14 days)."""
    return int(getattr(settings, "INTAKE_LINK_MAX_AGE", 14 * 24 * 3600))


# --- questions as a form ---------------------------------------------------------------------


def _field(question: dict, condition_choices: list[tuple[str, str]]) -> forms.Field:
    kind, required = question["type"], bool(question.get("required"))
    common = {
        "label": question["label"],
        "required": required,
        "help_text": question.get("help", ""),
    }
    if kind == "text":
        return forms.CharField(max_length=200, **common)
    if kind == "textarea":
        return forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), **common)
    if kind == "date":
        return forms.DateField(
            validators=[validate_supported_date],
            widget=forms.DateInput(attrs={"type": "date"}),
            **common,
        )
    if kind == "choice":
        choices = [tuple(c) for c in question["choices"]]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if kind == "yesno":
        return forms.ChoiceField(
            choices=YES_NO, widget=forms.RadioSelect(attrs={"class": "yesno"}), **common
        )
    if kind == "scale":
        return forms.TypedChoiceField(
            choices=SCALE,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            **common,
        )
    if kind == "conditions":
        return forms.MultipleChoiceField(
            choices=condition_choices, widget=forms.CheckboxSelectMultiple, **common
        )
    raise ValueError(f"Unknown question type {kind!r}")


def answers_form(intake_form: IntakeForm, data=None, initial=None) -> forms.Form:
    """A Django form whose fields are the questions of one version (also the validation rules)."""
    condition_choices = list(Condition.objects.values_list("slug", "name"))
    fields = {q["key"]: _field(q, condition_choices) for q in intake_form.questions}
    form_class = type("IntakeAnswersForm", (forms.Form,), fields)
    form = form_class(data=data, initial=initial, prefix="q")
    form.sections = _sections(intake_form, form)
    return form


def _sections(intake_form: IntakeForm, form: forms.Form) -> list[tuple[str, list]]:
    sections: dict[str, list] = {}
    for q in intake_form.questions:
        sections.setdefault(q.get("section", ""), []).append(form[q["key"]])
    return list(sections.items())


def _jsonable(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def answers_from_form(form: forms.Form) -> dict:
    """A valid answers form's cleaned data as JSON-ready values (the service validates again)."""
    return {k: _jsonable(v) for k, v in form.cleaned_data.items()}


def answers_display(submission: IntakeSubmission) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """[(section, [(question, answer as text, raised a red flag), ...])] in the order of the
    version answered."""
    names = dict(Condition.objects.values_list("slug", "name"))
    sections: dict[str, list] = {}
    for q in submission.form.questions:
        value = submission.answers.get(q["key"])
        if value in (None, "", []):
            text = "—"
        elif q["type"] == "conditions":
            text = ", ".join(names.get(v, v) for v in value)
        elif q["type"] in ("choice", "yesno"):
            text = dict(q.get("choices") or YES_NO).get(value, value)
        else:
            text = str(value)
        flagged = bool(q.get("red_flag")) and value == "yes"
        sections.setdefault(q.get("section", ""), []).append((q["label"], text, flagged))
    return list(sections.items())


# --- the signed link -------------------------------------------------------------------------


def _fingerprint(client: ClientProfile) -> str:
    # Changes when the password is set or the client logs in, so a used link stops working.
    user = client.user
    return salted_hmac(LINK_SALT, f"{user.pk}:{user.password}:{user.last_login}").hexdigest()[:20]


def intake_link_token(*, client: ClientProfile) -> str:
    """A signed, expiring token naming the client (and nothing about their health)."""
    return signing.dumps({"c": client.pk, "f": _fingerprint(client)}, salt=LINK_SALT)


def intake_link_url(*, client: ClientProfile) -> str:
    return emails.site_url(f"/accounts/intake/{intake_link_token(client=client)}/")


class IntakeLinkExpired(NotFound):
    code = "link_expired"


def intake_link_client(token: str) -> ClientProfile:
    """The client a link was made for. Raises IntakeLinkExpired (old) or NotFound (bad/used)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.SignatureExpired as exc:
        raise IntakeLinkExpired("This link has expired.") from exc
    except signing.BadSignature as exc:
        raise NotFound("This link is not valid.") from exc
    client = ClientProfile.objects.select_related("user").filter(pk=data.get("c")).first()
    if client is None or client.erased_at or data.get("f") != _fingerprint(client):
        raise NotFound("This link has already been used.")
    return client


def intake_link_send_later(*, client: ClientProfile) -> None:
    """Owe the client an e-mail with their intake link, in the caller's transaction (outbox)."""
    outbox_add(
        kind="intake_send_link", payload={"client_id": client.pk}, about=f"client:{client.pk}"
    )


def intake_send_link(*, client_id: int) -> bool:
    """E-mail a client their intake link. Send errors propagate (the outbox retries)."""
    client = ClientProfile.objects.select_related("user").filter(pk=client_id).first()
    if client is None or client.erased_at or not client.user.is_active:
        return False
    emails.send(
        to=[client.user.email],
        subject="Welcome: your intake form",
        template="intake_link",
        context={
            "client": client,
            "link": intake_link_url(client=client),
            "days": link_max_age() // 86400,
        },
    )
    ClientProfile.objects.filter(pk=client.pk).update(intake_sent_at=timezone.now())
    return True


def intake_notify_studio(*, submission_id: int) -> bool:
    """Tell the studio an intake arrived (no answers in the e-mail). Errors propagate (retried)."""
    rows = IntakeSubmission.objects.select_related("client__user").filter(pk=submission_id)
    submission = rows.first()
    if submission is None:
        return False
    emails.send(
        to=[settings.STUDIO_NOTIFY_EMAIL],
        subject="Intake form received",
        template="intake_studio",
        context={"client": submission.client},
    )
    return True


# --- submitting ------------------------------------------------------------------------------


def _check_shapes(intake_form: IntakeForm, answers: dict) -> None:
    """One value per question, a list only for the conditions question (else a 400, not a 500)."""
    errors = {}
    for q in intake_form.questions:
        value = answers.get(q["key"])
        if q["type"] == "conditions":
            if value is not None and not isinstance(value, list | tuple):
                errors[q["key"]] = ["Expected a list of condition slugs."]
        elif isinstance(value, list | tuple | dict):
            errors[q["key"]] = ["Expected a single value."]
    if errors:
        raise ValidationError(errors)


def _red_flags(intake_form: IntakeForm, answers: dict, now: datetime) -> list[dict]:
    return [
        {
            "code": q["key"],
            "label": q["red_flag"]["label"],
            "advice": q["red_flag"]["advice"],
            "source": f"intake v{intake_form.version}",
            "at": now.isoformat(),
        }
        for q in intake_form.questions
        if q.get("red_flag") and answers.get(q["key"]) == "yes"
    ]


def _conditions(intake_form: IntakeForm, answers: dict) -> list[str]:
    slugs: list[str] = []
    for q in intake_form.questions:
        value = answers.get(q["key"])
        if q["type"] == "conditions" and value:
            slugs.extend(value)
        elif q.get("conditions") and value in q["conditions"]:
            slugs.append(q["conditions"][value])
    return slugs


@transaction.atomic
def intake_submit(
    *,
    client: ClientProfile,
    intake_form: IntakeForm,
    answers: dict,
    signature_name: str,
    consent: bool,
    ip: str | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> IntakeSubmission:
    """Store answers to one form version; "yes" screening answers become the profile's red flags.

    Raises ValidationError (400, per question) for bad answers, Invalid without consent or a
    typed-name signature."""
    if not consent:
        raise Invalid(
            "Please confirm your answers and consent to us storing them.", field="consent"
        )
    signature_name = " ".join((signature_name or "").split())
    if not signature_name:
        raise Invalid("Type your full name to sign.", field="signature_name")
    _check_shapes(intake_form, answers)
    form = answers_form(intake_form, data={f"q-{k}": v for k, v in answers.items()})
    if not form.is_valid():
        raise ValidationError({k: v for k, v in form.errors.items()})
    now = now or timezone.now()
    clean = {k: _jsonable(v) for k, v in form.cleaned_data.items() if v not in (None, "", [])}
    flags = _red_flags(intake_form, clean, now)
    submission = IntakeSubmission.objects.create(
        client=client,
        form=intake_form,
        answers=clean,
        red_flags=flags,
        signature_name=signature_name[:120],
        signed_at=now,
        signed_ip=ip or None,
    )
    client = ClientProfile.objects.select_for_update().get(pk=client.pk)
    kept = [f for f in client.red_flags if not str(f.get("source", "")).startswith("intake")]
    client.red_flags = kept + flags
    client.health_consent_at = now
    if clean.get("date_of_birth"):
        client.date_of_birth = form.cleaned_data["date_of_birth"]
    if clean.get("goals") and not client.goals:
        client.goals = clean["goals"]
    client.save()
    client.conditions.add(*Condition.objects.filter(slug__in=_conditions(intake_form, clean)))
    audit_record(
        actor=client.user, client=client, action=AuditEvent.Action.CHANGED, what="intake submitted"
    )
    if notify:
        outbox_add(
            kind="intake_notify_studio",
            payload={"submission_id": submission.pk},
            about=f"client:{client.pk}",
        )
    log.info("intake %s stored for client %s", submission.pk, client.pk)
    return submission


@transaction.atomic
def intake_form_publish(*, questions: list[dict], title: str = "") -> IntakeForm:
    """Publish a new version of the questions; earlier versions and their answers stay as they
    were. Raises Invalid for a malformed question list."""
    keys = [q.get("key") for q in questions]
    if not questions or None in keys or len(set(keys)) != len(keys):
        raise Invalid("Every question needs a unique key.", field="questions")
    probe = IntakeForm(version=0, questions=questions)
    try:
        answers_form(probe)
    except (KeyError, ValueError, TypeError) as exc:
        raise Invalid(f"A question is malformed: {exc}", field="questions") from exc
    last = IntakeForm.objects.select_for_update().order_by("-version").first()
    IntakeForm.objects.filter(is_active=True).update(is_active=False)
    return IntakeForm.objects.create(
        version=(last.version + 1) if last else 1,
        title=title or (last.title if last else "Health history and consent"),
        questions=questions,
        is_active=True,
    )
