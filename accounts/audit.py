"""The audit trail: who viewed or changed which client record. Entries never hold health data."""

from django.db import transaction

from .models import AuditEvent, ClientProfile, User
from .ratelimit import client_ip


@transaction.atomic
def audit_record(
    *,
    actor: User | None,
    client: ClientProfile,
    action: str,
    what: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event; `what` names the record or fields, never their values."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor, client=client, action=action, what=what[:120], ip=ip or None
    )


def request_ip(request) -> str | None:
    """The caller's address for the audit trail (the same one rate limits use)."""
    ip = client_ip(request)
    return None if ip == "unknown" else ip
