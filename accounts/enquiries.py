"""Enquiry use cases: store a public enquiry, notify, triage, and convert it into a client."""

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from studio.kernel.errors import Conflict, Invalid, NotAllowed
from studio.kernel.outbox import outbox_add

from . import access, emails
from .addresses import normalize_email
from .audit import audit_record
from .care_team import care_team_join
from .intake import intake_link_send_later
from .models import AuditEvent, CareTeamMember, ClientProfile, Condition, Enquiry, User

log = logging.getLogger(__name__)

MAX_CONCERNS = 20


def _clean_concerns(concerns) -> list[str]:
    seen: dict[str, str] = {}
    for item in concerns or []:
        text = " ".join(str(item).split())[:120]
        if text and text.lower() not in seen:
            seen[text.lower()] = text
    return list(seen.values())[:MAX_CONCERNS]


@transaction.atomic
def enquiry_create(
    *,
    name: str,
    email: str,
    message: str,
    consent: bool,
    phone: str = "",
    concerns=(),
    preferred_contact: str = Enquiry.Contact.EMAIL,
    honeypot: str = "",
    source: str = "web",
    now: datetime | None = None,
) -> Enquiry:
    """Store a public enquiry and, with it, the e-mails it owes (outbox); a filled honeypot
    stores it as spam.

    Raises Invalid without consent to store health information, or for an address
    accounts.addresses refuses (the address is stored normalised)."""
    if not consent:
        raise Invalid("Please agree to us storing the health details you send.", field="consent")
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        raise Invalid(exc.messages[0], field="email") from exc
    now = now or timezone.now()
    is_spam = bool(honeypot.strip())
    enquiry = Enquiry.objects.create(
        name=name.strip(),
        email=email,
        phone=phone.strip(),
        message=message.strip(),
        concerns=_clean_concerns(concerns),
        preferred_contact=preferred_contact or Enquiry.Contact.EMAIL,
        consent=True,
        consent_at=now,
        source=source,
        status=Enquiry.Status.SPAM if is_spam else Enquiry.Status.NEW,
    )
    log.info("enquiry %s stored (%s)", enquiry.pk, enquiry.status)
    if not is_spam:
        about = f"enquiry:{enquiry.pk}"
        payload = {"enquiry_id": enquiry.pk}
        outbox_add(kind="enquiry_notify_studio", payload=payload, about=about)
        outbox_add(kind="enquiry_acknowledge", payload=payload, about=about)
    return enquiry


def enquiry_notify_studio(*, enquiry_id: int) -> bool:
    """E-mail the studio that an enquiry arrived, once. Send errors propagate (retried)."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id, notified_at=None).first()
    if enquiry is None or enquiry.status == Enquiry.Status.SPAM:
        return False
    emails.send(
        to=[settings.STUDIO_NOTIFY_EMAIL],
        subject="New enquiry",
        template="enquiry_studio",
        context={"enquiry": enquiry},
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(notified_at=timezone.now())
    return True


def enquiry_acknowledge(*, enquiry_id: int) -> bool:
    """Thank the enquirer by e-mail, once. Send errors propagate (retried)."""
    enquiry = Enquiry.objects.filter(pk=enquiry_id, acknowledged_at=None).first()
    if enquiry is None or enquiry.status == Enquiry.Status.SPAM:
        return False
    emails.send(
        to=[enquiry.email],
        subject="We received your message",
        template="enquiry_ack",
        context={"enquiry": enquiry},
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(acknowledged_at=timezone.now())
    return True


def _require_staff(user: User) -> None:
    if not (user and user.is_authenticated and user.is_studio_staff):
        raise NotAllowed("Only studio staff can do this.")


@transaction.atomic
def enquiry_set_status(*, enquiry: Enquiry, status: str, by: User) -> Enquiry:
    """Triage an enquiry (new, contacted, declined, spam). Raises Invalid for 'converted' or an
    unknown status, Conflict once it is converted."""
    _require_staff(by)
    if status not in Enquiry.Status.values:
        raise Invalid(f"Unknown status '{status}'.", field="status")
    if status == Enquiry.Status.CONVERTED:
        raise Invalid("Use convert to turn an enquiry into a client.", field="status")
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == Enquiry.Status.CONVERTED:
        raise Conflict("This enquiry is already a client; its status cannot change.")
    if enquiry.status != status:
        enquiry.status = status
        enquiry.save(update_fields=["status", "updated"])
    return enquiry


@transaction.atomic
def enquiry_set_notes(*, enquiry: Enquiry, notes: str, by: User) -> Enquiry:
    """Replace the staff notes of an enquiry. Raises NotAllowed for non-staff."""
    _require_staff(by)
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    enquiry.staff_notes = notes.strip()
    enquiry.save(update_fields=["staff_notes", "updated"])
    return enquiry


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split(maxsplit=1)
    return (parts[0][:150], parts[1][:150]) if len(parts) == 2 else (name[:150], "")


def _conditions_for(concerns: list[str]) -> list[Condition]:
    wanted = {c.lower() for c in concerns}
    return [
        c for c in Condition.objects.all() if c.slug.lower() in wanted or c.name.lower() in wanted
    ]


@transaction.atomic
def enquiry_convert(*, enquiry: Enquiry, by: User, now: datetime | None = None) -> ClientProfile:
    """Make the enquirer a client (new user and profile, or their existing profile), pre-fill
    conditions from the concerns and e-mail a signed intake link.

    The converter joins the client's care team. An address that belongs to a client whose
    file the converter may not open is refused: converting would write into that file and open
    it to them (the owner or the client's care team converts it).

    Raises Conflict when already converted, marked spam, the e-mail belongs to staff or to a
    client outside the converter's care teams."""
    _require_staff(by)
    now = now or timezone.now()
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == Enquiry.Status.CONVERTED or enquiry.client_id:
        raise Conflict("This enquiry has already been converted.")
    if enquiry.status == Enquiry.Status.SPAM:
        raise Conflict("This enquiry is marked as spam; change its status first.")
    user = User.objects.filter(email__iexact=enquiry.email).first()
    if user is not None and user.role != User.Role.CLIENT:
        raise Conflict("That e-mail address belongs to a staff account.")
    created = user is None
    existing = None if created else ClientProfile.objects.filter(user=user).first()
    if existing is not None and not access.may_see_client(by, existing.pk):
        raise Conflict(
            "This address belongs to a client whose file you cannot open. The owner or a "
            "member of their care team can convert this enquiry."
        )
    if created:
        first, last = _split_name(enquiry.name)
        user = User(email=enquiry.email, first_name=first, last_name=last, role=User.Role.CLIENT)
        user.set_unusable_password()
        user.save()
    profile, _ = ClientProfile.objects.get_or_create(
        user=user,
        defaults={"phone": enquiry.phone, "preferred_contact": enquiry.preferred_contact},
    )
    if enquiry.consent_at and not profile.health_consent_at:
        profile.health_consent_at = enquiry.consent_at
        profile.save(update_fields=["health_consent_at", "updated"])
    profile.conditions.add(*_conditions_for(enquiry.concerns))
    enquiry.client = profile
    enquiry.status = Enquiry.Status.CONVERTED
    enquiry.converted_at = now
    enquiry.converted_by = by
    enquiry.save(update_fields=["client", "status", "converted_at", "converted_by", "updated"])
    audit_record(
        actor=by,
        client=profile,
        action=AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED,
        what=f"converted from enquiry {enquiry.pk}",
    )
    care_team_join(
        client=profile,
        specialist=access.specialist_profile(by),
        reason=CareTeamMember.Reason.CONVERTED,
        by=by,
    )
    intake_link_send_later(client=profile)
    log.info("enquiry %s converted to client %s", enquiry.pk, profile.pk)
    return profile
