"""Client record use cases: edit (clients their contact details only), viewing is audited."""

from django.db import transaction

from studio.kernel.errors import NotAllowed

from .audit import audit_record
from .care_team import care_team_join
from .models import AuditEvent, CareTeamMember, ClientProfile, Condition, SpecialistProfile, User

USER_FIELDS = {"first_name", "last_name"}
CONTACT_FIELDS = USER_FIELDS | {"phone", "preferred_contact", "timezone"}
STAFF_FIELDS = CONTACT_FIELDS | {
    "date_of_birth",
    "goals",
    "staff_notes",
    "assigned_specialist",
    "conditions",
}


def editable_fields(*, user: User, client: ClientProfile) -> set[str]:
    """What `user` may change on `client`: staff the record, the client their contact details."""
    if user.is_studio_staff:
        return STAFF_FIELDS
    if client.user_id == user.pk:
        return CONTACT_FIELDS
    return set()


@transaction.atomic
def client_update(*, client: ClientProfile, by: User, data: dict) -> ClientProfile:
    """Change fields of a client record and audit which ones changed (never their values).
    A newly assigned specialist joins the care team (as added by `by`).

    Raises NotAllowed for a field the caller may not change (a client: anything but contact)."""
    allowed = editable_fields(user=by, client=client)
    refused = sorted(set(data) - allowed)
    if refused:
        raise NotAllowed("You cannot change this.", field=refused[0])
    if client.erased_at:
        raise NotAllowed("This client's record has been erased.")
    client = ClientProfile.objects.select_for_update().select_related("user").get(pk=client.pk)
    changed: list[str] = []
    for name, value in data.items():
        if name == "conditions":
            slugs = sorted(c.slug if isinstance(c, Condition) else c for c in value)
            current = sorted(client.conditions.values_list("slug", flat=True))
            if slugs != current:
                client.conditions.set(Condition.objects.filter(slug__in=slugs))
                changed.append(name)
            continue
        target = client.user if name in USER_FIELDS else client
        if name == "assigned_specialist" and value is not None:
            value = value if isinstance(value, SpecialistProfile) else None
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if changed:
        client.user.save()
        client.save()
        audit_record(
            actor=by,
            client=client,
            action=AuditEvent.Action.CHANGED,
            what="changed " + ", ".join(sorted(changed)),
        )
    if "assigned_specialist" in changed and client.assigned_specialist is not None:
        care_team_join(
            client=client,
            specialist=client.assigned_specialist,
            reason=CareTeamMember.Reason.ADDED,
            by=by,
        )
    return client


def client_viewed(*, client: ClientProfile, by: User, what: str, ip: str | None = None) -> None:
    """Record that staff looked at a client record (clients reading their own are not logged)."""
    if by.is_studio_staff:
        audit_record(actor=by, client=client, action=AuditEvent.Action.VIEWED, what=what, ip=ip)
