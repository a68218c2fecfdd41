"""Care teams: who joins a client's team, who adds and removes members; every change audited.

A specialist joins automatically when they convert the client's enquiry, or when a booking with
them is made by someone who vouches for the client: the client logged in, or staff who may see
the client. An anonymous booking does not vouch: anyone can type an existing client's address,
and that must not open the client's file to a specialist (bookings/services.py passes
`vouched` only when the booking created the client). The owner or a team member adds anyone
else; removing a member ends their access however they joined (a later booking may bring them
back, and says so in the audit trail).
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from studio.kernel.errors import Invalid, NotAllowed, NotFound

from . import access
from .audit import audit_record
from .models import AuditEvent, CareTeamMember, ClientProfile, SpecialistProfile, Studio, User

log = logging.getLogger(__name__)
Reason = CareTeamMember.Reason


def care_team_list(*, client: ClientProfile) -> QuerySet[CareTeamMember]:
    """A client's care team, earliest member first, with names (one query)."""
    return CareTeamMember.objects.filter(client=client).select_related(
        "specialist__user", "added_by"
    )


def _audit_joined(member: CareTeamMember, *, by: User | None, ip: str | None = None) -> None:
    who = member.specialist.user.name
    how = Reason(member.reason).label.lower()
    audit_record(
        actor=by,
        client=member.client,
        action=AuditEvent.Action.TEAM_ADDED,
        what=f"{who} ({how})",
        ip=ip,
    )


def care_team_join(
    *,
    client: ClientProfile,
    specialist: SpecialistProfile | None,
    reason: str,
    by: User | None,
    ip: str | None = None,
    new_client: bool = False,
) -> CareTeamMember | None:
    """Put a specialist on a client's team (no permission check: callers are the rules above).
    A member already on the team stays as they joined; returns the new member or None.

    `new_client`: the client was created in the caller's still open transaction, so nobody
    else can have put anyone on their team yet: one insert, no look-up, no savepoint."""
    if specialist is None or client.erased_at:
        return None
    by = by if by is not None and by.is_authenticated else None
    if new_client:
        member = CareTeamMember.objects.create(
            client=client, specialist=specialist, reason=reason, added_by=by
        )
    else:
        try:
            with transaction.atomic():  # a savepoint: the unique constraint may refuse a twin
                member, created = CareTeamMember.objects.get_or_create(
                    client=client,
                    specialist=specialist,
                    defaults={"reason": reason, "added_by": by},
                )
        except IntegrityError:  # someone else put them on the team at the same moment
            return None
        if not created:
            return None
    member.client, member.specialist = client, specialist
    _audit_joined(member, by=by, ip=ip)
    return member


def _active_specialist(specialist_id) -> SpecialistProfile:
    specialist = (
        SpecialistProfile.objects.select_related("user")
        .filter(pk=specialist_id, is_active=True, user__is_active=True)
        .first()
    )
    if specialist is None:
        raise Invalid("No such specialist.", field="specialist")
    return specialist


def _check_may_change(by: User, client: ClientProfile) -> None:
    if not access.may_change_team(by, client):
        raise NotAllowed("Only the owner or a member of the care team can change it.")


@transaction.atomic
def care_team_add(
    *, client: ClientProfile, specialist_id: int, by: User, ip: str | None = None
) -> tuple[CareTeamMember, bool]:
    """The owner or a team member adds a specialist; returns (member, created). Adding someone
    already on the team changes nothing. Raises NotAllowed, Invalid (no such active specialist,
    or the client was erased)."""
    _check_may_change(by, client)
    if client.erased_at:
        raise Invalid("This client's record has been erased.", field="specialist")
    specialist = _active_specialist(specialist_id)
    member = care_team_join(client=client, specialist=specialist, reason=Reason.ADDED, by=by, ip=ip)
    if member is not None:
        return member, True
    existing = care_team_list(client=client).get(specialist=specialist)
    return existing, False


@transaction.atomic
def care_team_remove(
    *, client: ClientProfile, specialist_id: int, by: User, ip: str | None = None
) -> None:
    """The owner or a team member removes a member, however they joined; their access ends at
    once, and they stop being the client's assigned specialist. Raises NotAllowed, NotFound
    (not on the team)."""
    _check_may_change(by, client)
    member = care_team_list(client=client).filter(specialist_id=specialist_id).first()
    if member is None:
        raise NotFound("This specialist is not on the care team.")
    member.delete()
    ClientProfile.objects.filter(pk=client.pk, assigned_specialist_id=specialist_id).update(
        assigned_specialist=None
    )
    audit_record(
        actor=by,
        client=client,
        action=AuditEvent.Action.TEAM_REMOVED,
        what=f"{member.specialist.user.name} (had joined: {Reason(member.reason).label.lower()})",
        ip=ip,
    )


@transaction.atomic
def studio_share_client_files(*, by: User, shared: bool) -> Studio:
    """Open every client's file to every specialist, or go back to care teams (owner only).
    Raises NotAllowed."""
    if not (by.is_authenticated and by.is_owner):
        raise NotAllowed("Only the studio owner can change who sees client files.")
    studio = Studio.get()
    if studio.shared_client_files != shared:
        studio.shared_client_files = shared
        studio.save(update_fields=["shared_client_files"])
        log.info("shared_client_files set to %s by user %s", shared, by.pk)
    return studio
