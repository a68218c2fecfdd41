"""The owner changes the studio's details and policies (PATCH /api/studio/, /studio/settings/).

Each change is validated (the model's own rules, reminder offsets, a currency fixed once money
is recorded), audited in the admin history of the studio (accounts/audit.py: field names, never
values) and seen by availability at once (its cache drops on every studio save).
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from studio.kernel.errors import Invalid, NotAllowed

from .audit import settings_audit
from .models import Studio, User

EDITABLE = (
    "name",
    "tagline",
    "address",
    "phone",
    "email",
    "timezone",
    "currency",
    "cancellation_window_hours",
    "late_cancel_fee",
    "late_cancel_refund",
    "reminder_offsets_minutes",
    "min_notice_hours",
    "booking_horizon_days",
    "slot_granularity_minutes",
    "hold_minutes",
)
AT_LEAST_ONE = ("booking_horizon_days", "slot_granularity_minutes", "hold_minutes")


def _money_recorded() -> bool:
    """Whether any booking exists (looked up by name: accounts imports no other app)."""
    return apps.get_model("bookings", "Booking").objects.exists()


def _check_currency(studio: Studio, currency: str) -> str:
    currency = (currency or "").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise Invalid("Give a three-letter ISO currency code, such as USD.", field="currency")
    if currency != studio.currency and _money_recorded():
        raise Invalid(
            "The currency cannot change once bookings exist: every booking keeps one currency.",
            field="currency",
        )
    return currency


@transaction.atomic
def studio_update(*, by: User, **values) -> Studio:
    """Change the studio's details and policies (owner only). Raises NotAllowed, Invalid."""
    if not (by.is_authenticated and by.is_owner):
        raise NotAllowed("Only the studio owner can change the studio's settings.")
    studio = Studio.objects.select_for_update().get(pk=Studio.get().pk)
    changed = []
    for field, value in values.items():
        if field not in EDITABLE:
            raise Invalid("This field cannot be changed here.", field=field)
        if field == "currency":
            value = _check_currency(studio, value)
        if field in AT_LEAST_ONE and value is not None and value < 1:
            raise Invalid("Must be at least 1.", field=field)
        if getattr(studio, field) != value:
            setattr(studio, field, value)
            changed.append(field)
    if not changed:
        return studio
    try:
        studio.full_clean()
    except ValidationError as exc:
        problems = {f: msgs for f, msgs in exc.message_dict.items() if f in changed}
        if problems:
            raise ValidationError(problems) from exc
    studio.save(update_fields=changed)
    settings_audit(by=by, obj=studio, fields=changed)
    return studio
