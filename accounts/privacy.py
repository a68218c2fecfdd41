"""A client's rights over their data: export everything stored, and erasure by the owner.

Erasure anonymises the person but keeps the rows other records depend on: bookings reference
ClientProfile with PROTECT, so the profile and user rows stay (scrubbed and deactivated) and the
studio's accounting still adds up. Other apps scrub their own data through `signals.client_erase`
and add their sections to the export through `signals.client_export`.
"""

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from studio.kernel.errors import Conflict, NotAllowed

from .audit import audit_record
from .care_team import care_team_list
from .intake import answers_display
from .models import AuditEvent, ClientProfile, Enquiry, User
from .selectors import client_file_get
from .signals import client_erase as client_erase_signal
from .signals import client_export as client_export_signal
from .tokens import tokens_revoke_all

log = logging.getLogger(__name__)

ERASED_NAME = "Erased"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _enquiry(e: Enquiry) -> dict:
    return {
        "id": e.pk,
        "name": e.name,
        "email": e.email,
        "phone": e.phone,
        "message": e.message,
        "concerns": e.concerns,
        "preferred_contact": e.preferred_contact,
        "consent": e.consent,
        "consent_at": _iso(e.consent_at),
        "status": e.status,
        "staff_notes": e.staff_notes,
        "created": _iso(e.created),
    }


def client_export(*, client: ClientProfile, by: User, ip: str | None = None) -> dict:
    """Everything stored about a client as JSON-ready data; the export itself is audited."""
    client = client_file_get(user=by, pk=client.pk)
    user = client.user
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "client": {
            "id": client.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": client.phone,
            "date_of_birth": _iso(client.date_of_birth),
            "timezone": client.timezone,
            "preferred_contact": client.preferred_contact,
            "goals": client.goals,
            "conditions": [{"slug": c.slug, "name": c.name} for c in client.conditions.all()],
            "red_flags": client.red_flags,
            "assigned_specialist": client.assigned_specialist.name
            if client.assigned_specialist
            else None,
            "staff_notes": client.staff_notes,
            "health_consent_at": _iso(client.health_consent_at),
            "intake_sent_at": _iso(client.intake_sent_at),
            "created": _iso(client.created),
            "updated": _iso(client.updated),
            "erased_at": _iso(client.erased_at),
            "account_created": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "intake_submissions": [
            {
                "id": s.pk,
                "form_version": s.form.version,
                "form_title": s.form.title,
                "answers": s.answers,
                "answers_readable": [
                    {"section": section, "question": q, "answer": a}
                    for section, rows in answers_display(s)
                    for q, a, _flagged in rows
                ],
                "red_flags": s.red_flags,
                "signature_name": s.signature_name,
                "signed_at": _iso(s.signed_at),
                "signed_ip": s.signed_ip,
            }
            for s in client.intakes.all()
        ],
        "enquiries": [_enquiry(e) for e in client.enquiries.all()],
        "care_team": [
            {
                "specialist": m.specialist.user.name,
                "reason": m.reason,
                "added_by": m.added_by.name if m.added_by else None,
                "since": _iso(m.created),
            }
            for m in care_team_list(client=client)
        ],
        "audit_events": [
            {
                "at": _iso(a.created),
                "by": a.actor.name if a.actor else None,
                "action": a.action,
                "what": a.what,
            }
            for a in client.audit_events.select_related("actor").order_by("created", "pk")
        ],
    }
    for _receiver, sections in client_export_signal.send(sender=ClientProfile, client=client):
        if isinstance(sections, dict):
            data.update(sections)
    audit_record(
        actor=by, client=client, action=AuditEvent.Action.EXPORTED, what="data export", ip=ip
    )
    return data


@transaction.atomic
def client_erase(
    *, client: ClientProfile, by: User, ip: str | None = None, now: datetime | None = None
) -> ClientProfile:
    """Anonymise a client (the owner only): scrub the person, their intake answers and enquiries,
    deactivate the login, keep the rows bookings need. Raises NotAllowed, Conflict if erased."""
    if not (by.is_authenticated and by.is_owner):
        raise NotAllowed("Only the studio owner can erase a client.")
    now = now or timezone.now()
    client = ClientProfile.objects.select_for_update().select_related("user").get(pk=client.pk)
    if client.erased_at:
        raise Conflict("This client has already been erased.")
    user = client.user
    old_email = user.email
    erased_email = f"erased-{user.pk}@erased.invalid"
    scrub = {
        "name": ERASED_NAME,
        "email": erased_email,
        "phone": "",
        "message": "",
        "concerns": [],
        "staff_notes": "",
    }
    Enquiry.objects.filter(client=client).update(**scrub)
    Enquiry.objects.filter(client=None, email__iexact=old_email).update(**scrub)
    client.intakes.all().delete()
    client.conditions.clear()
    client.phone = ""
    client.date_of_birth = None
    client.goals = ""
    client.staff_notes = ""
    client.red_flags = []
    client.health_consent_at = None
    client.intake_sent_at = None
    client.erased_at = now
    client.save()
    user.email = erased_email
    user.first_name = ERASED_NAME
    user.last_name = f"client {client.pk}"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    tokens_revoke_all(user=user)
    AuditEvent.objects.filter(client=client, actor=user).update(ip=None)
    client_erase_signal.send(sender=ClientProfile, client=client, now=now)
    audit_record(actor=by, client=client, action=AuditEvent.Action.ERASED, what="erased", ip=ip)
    log.info("client %s erased by user %s", client.pk, by.pk)
    return client
