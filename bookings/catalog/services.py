"""Writes to the catalogue: the owner adds and changes services.

Prices and deposits are in minor units of the studio's one currency (the settings page converts
from currency units). Each change is audited (accounts/audit.py) and seen by availability at
once (its cache drops on every service save and specialist change).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from accounts.audit import settings_audit
from accounts.models import SpecialistProfile, Studio, User
from studio.kernel.errors import Conflict, Invalid, NotAllowed

from ..models import Service

FIELDS = (
    "name",
    "description",
    "duration_minutes",
    "buffer_before_minutes",
    "buffer_after_minutes",
    "price",
    "deposit",
    "audience",
    "intake_required",
    "is_active",
)


def _owner_only(by: User) -> None:
    if not (by.is_authenticated and by.is_owner):
        raise NotAllowed("Only the studio owner can change the services.")


def _specialists(ids: list[int]) -> list[SpecialistProfile]:
    found = list(SpecialistProfile.objects.filter(pk__in=ids, is_active=True))
    if len(found) != len(set(ids)):
        raise Invalid("Choose active specialists only.", field="specialists")
    return found


def _check(service: Service) -> None:
    if not service.name.strip():
        raise Invalid("Give the service a name.", field="name")
    if service.duration_minutes < 5:
        raise Invalid("A session lasts at least 5 minutes.", field="duration_minutes")
    if service.deposit > service.price:
        raise Invalid("The deposit cannot be more than the price.", field="deposit")


def _apply(service: Service, values: dict) -> list[str]:
    changed = []
    for field, value in values.items():
        if field not in FIELDS:
            raise Invalid("This field cannot be changed here.", field=field)
        if getattr(service, field) != value:
            setattr(service, field, value)
            changed.append(field)
    return changed


@transaction.atomic
def service_create(
    *, by: User, slug: str = "", specialists: list[int] | None = None, **values
) -> Service:
    """Add a service in the studio's currency. Raises NotAllowed, Invalid, Conflict (slug
    taken)."""
    _owner_only(by)
    slug = slugify(slug or values.get("name", ""))[:50]
    if not slug:
        raise Invalid("Give a name or a slug made of letters and numbers.", field="slug")
    if Service.objects.filter(slug=slug).exists():
        raise Conflict(f"A service with the slug '{slug}' already exists.")
    service = Service(slug=slug, currency=Studio.get().currency)
    _apply(service, values)
    _check(service)
    service.save()
    service.specialists.set(_specialists(specialists or []))
    settings_audit(by=by, obj=service, fields=["slug", *values], action="added")
    return service


@transaction.atomic
def service_update(
    *, by: User, service: Service, specialists: list[int] | None = None, **values
) -> Service:
    """Change a service (its slug stays: links and the API name it). Raises NotAllowed,
    Invalid."""
    _owner_only(by)
    service = Service.objects.select_for_update().get(pk=service.pk)
    changed = _apply(service, values)
    _check(service)
    if changed:
        service.save(update_fields=changed)
    if specialists is not None:
        wanted = _specialists(specialists)
        if {s.pk for s in wanted} != set(service.specialists.values_list("pk", flat=True)):
            service.specialists.set(wanted)
            changed.append("specialists")
    if changed:
        settings_audit(by=by, obj=service, fields=changed)
    return service
