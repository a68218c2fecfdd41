"""The owner invites staff (a specialist, or another owner) and deactivates them.

An invitation creates the account without a password and e-mails a set-password link through
the password-reset machinery (accounts/passwords.py), owed through the outbox so a mail server
that is down delays it, never loses it.
"""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from studio.kernel.errors import Conflict, Invalid, NotAllowed, NotFound
from studio.kernel.outbox import outbox_add

from . import emails
from .addresses import normalize_email
from .audit import settings_audit
from .models import SpecialistProfile, User
from .passwords import password_reset_link

log = logging.getLogger(__name__)
ROLES = (User.Role.SPECIALIST, User.Role.OWNER)


def _owner_only(by: User) -> None:
    if not (by.is_authenticated and by.is_owner):
        raise NotAllowed("Only the studio owner can manage staff.")


@transaction.atomic
def staff_invite(*, by: User, email: str, name: str, role: str = User.Role.SPECIALIST) -> User:
    """Create a staff account and owe it an invitation with a set-password link. Raises
    NotAllowed (not the owner), Invalid (bad address, name or role) and Conflict (the address
    already has an account)."""
    _owner_only(by)
    if role not in ROLES:
        raise Invalid("Choose specialist or owner.", field="role")
    if not name.strip():
        raise Invalid("Give the person's name.", field="name")
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        raise Invalid(exc.messages[0], field="email") from exc
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict("An account with this e-mail address already exists.")
    first, _, last = name.strip().partition(" ")
    user = User.objects.create_user(
        email=email,
        first_name=first[:150],
        last_name=last[:150],
        role=role,
        is_staff=role == User.Role.OWNER,
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    # Owners may take sessions too; a profile makes them bookable once they have hours.
    SpecialistProfile.objects.create(user=user, is_active=role == User.Role.SPECIALIST)
    outbox_add(kind="staff_invite_send", payload={"user_id": user.pk}, about="Staff invitation")
    settings_audit(by=by, obj=user, fields=["email", "role"], action="added")
    return user


def staff_invite_send(*, user_id: int) -> bool:
    """In the worker: mail the invitation with its set-password link (active accounts only)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    emails.send(
        to=[user.email],
        subject="You are invited",
        template="staff_invite",
        context={"user": user, "link": password_reset_link(user)},
    )
    log.info("staff invitation sent to user %s", user.pk)
    return True


@transaction.atomic
def staff_set_active(*, by: User, user_id: int, active: bool) -> User:
    """Deactivate (or bring back) a staff account: they cannot log in, are not bookable, and
    their bookings stay. Raises NotAllowed, NotFound, Invalid (the owner's own account)."""
    _owner_only(by)
    user = User.objects.filter(pk=user_id, role__in=ROLES).first()
    if user is None:
        raise NotFound("No such staff member.")
    if user.pk == by.pk:
        raise Invalid("You cannot deactivate your own account.", field="active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    SpecialistProfile.objects.filter(user=user).update(is_active=active)
    settings_audit(by=by, obj=user, fields=["is_active"])
    return user
