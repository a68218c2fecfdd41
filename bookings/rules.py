"""Writes to the availability rules: weekly hours, date overrides, closures, booking policy.

Staff edit them on /studio/availability/; a specialist edits their own hours and days off, the
owner edits anyone's and the studio-wide closures and policy.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import transaction

from accounts.models import SpecialistProfile, Studio, User
from studio.kernel.errors import Invalid, NotAllowed, NotFound

from .models import Closure, DateOverride, WeeklyHours

POLICY_FIELDS = (
    "min_notice_hours",
    "booking_horizon_days",
    "slot_granularity_minutes",
    "hold_minutes",
    "cancellation_window_hours",
)


def may_edit_hours(user: User, specialist: SpecialistProfile) -> bool:
    """The owner edits anyone's hours; a specialist only their own."""
    return user.is_owner or (user.is_studio_staff and specialist.user_id == user.pk)


def _check_editor(user: User, specialist: SpecialistProfile) -> None:
    if not may_edit_hours(user, specialist):
        raise NotAllowed("You can change only your own hours.")


def _check_range(start: time | None, end: time | None) -> None:
    if start is None or end is None:
        raise Invalid("Give a start and an end time.", field="end")
    if end <= start:
        raise Invalid("The end must be after the start.", field="end")


@transaction.atomic
def weekly_hours_add(
    *, by: User, specialist: SpecialistProfile, weekday: int, start: time, end: time
) -> WeeklyHours:
    """Add a working range on a weekday (specialist's zone). Raises NotAllowed, Invalid."""
    _check_editor(by, specialist)
    if weekday not in range(7):
        raise Invalid("Choose a day of the week.", field="weekday")
    _check_range(start, end)
    return WeeklyHours.objects.create(specialist=specialist, weekday=weekday, start=start, end=end)


@transaction.atomic
def weekly_hours_delete(*, by: User, pk: int) -> None:
    """Remove one weekly range. Raises NotFound, NotAllowed."""
    hours = WeeklyHours.objects.select_related("specialist").filter(pk=pk).first()
    if hours is None:
        raise NotFound("No such hours.")
    _check_editor(by, hours.specialist)
    hours.delete()


@transaction.atomic
def date_override_add(
    *,
    by: User,
    specialist: SpecialistProfile,
    day: date,
    kind: str,
    start: time | None = None,
    end: time | None = None,
    note: str = "",
) -> DateOverride:
    """Block a local date or add extra hours on it. Raises NotAllowed, Invalid."""
    _check_editor(by, specialist)
    if kind not in DateOverride.Kind.values:
        raise Invalid("Choose extra hours or a day off.", field="kind")
    if kind == DateOverride.Kind.EXTRA:
        _check_range(start, end)
    else:
        start = end = None
    return DateOverride.objects.create(
        specialist=specialist, date=day, kind=kind, start=start, end=end, note=note[:200]
    )


@transaction.atomic
def date_override_delete(*, by: User, pk: int) -> None:
    """Remove one date override. Raises NotFound, NotAllowed."""
    override = DateOverride.objects.select_related("specialist").filter(pk=pk).first()
    if override is None:
        raise NotFound("No such date.")
    _check_editor(by, override.specialist)
    override.delete()


@transaction.atomic
def closure_add(*, by: User, start: datetime, end: datetime, reason: str = "") -> Closure:
    """Close the whole studio for a span (owner only). Raises NotAllowed, Invalid."""
    if not by.is_owner:
        raise NotAllowed("Only the owner can close the studio.")
    if start.tzinfo is None or end.tzinfo is None:
        raise Invalid("Give times with a zone.", field="start")
    if end <= start:
        raise Invalid("The end must be after the start.", field="end")
    return Closure.objects.create(start=start, end=end, reason=reason[:200])


@transaction.atomic
def closure_delete(*, by: User, pk: int) -> None:
    """Reopen: remove a closure (owner only). Raises NotAllowed, NotFound."""
    if not by.is_owner:
        raise NotAllowed("Only the owner can change closures.")
    deleted, _ = Closure.objects.filter(pk=pk).delete()
    if not deleted:
        raise NotFound("No such closure.")


@transaction.atomic
def studio_policy_update(*, by: User, **values: int) -> Studio:
    """Change the booking policy (notice, horizon, step, hold, cancellation window); owner only.
    Raises NotAllowed, Invalid."""
    if not by.is_owner:
        raise NotAllowed("Only the owner can change the booking policy.")
    studio = Studio.get()
    for field, value in values.items():
        if field not in POLICY_FIELDS:
            raise Invalid(f"Unknown policy field {field}.", field=field)
        if value is None or value < 0:
            raise Invalid("Must be zero or more.", field=field)
        if field in ("slot_granularity_minutes", "booking_horizon_days", "hold_minutes") and (
            value < 1
        ):
            raise Invalid("Must be at least 1.", field=field)
        setattr(studio, field, value)
    studio.save(update_fields=list(values))
    return studio
