"""The audit trail: who viewed or changed which client record. Entries never hold health data."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

from .models import AuditEvent, ClientProfile, User
from .ratelimit import client_ip


def audit_record(
    *,
    actor: User | None,
    client: ClientProfile,
    action: str,
    what: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one audit event; `what` names the record or fields, never their values. One
    INSERT, atomic on its own: no transaction (inside a caller's, no savepoint either)."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor, client=client, action=action, what=what[:120], ip=ip or None
    )


def request_ip(request) -> str | None:
    """The caller's address for the audit trail (the same one rate limits use)."""
    ip = client_ip(request)
    return None if ip == "unknown" else ip


def settings_audit(*, by: User, obj, fields: list[str], action: str = "changed") -> None:
    """Record a change to the studio's settings (the studio, a service, a staff account) in
    the admin's history of that object: who, when, which fields (never their values)."""
    flag = ADDITION if action == "added" else CHANGE
    message = [{action: {"fields": sorted(fields)}}] if fields else [{action: {}}]
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[obj], action_flag=flag, change_message=message, single_object=True
    )
