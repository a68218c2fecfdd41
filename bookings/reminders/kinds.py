"""Reminder kinds and their timing: the offsets before a session (one default), how late each
kind may still go out, and the zone its times are computed in. Changing the reminder offsets
starts here; the studio's own offsets are kept on accounts.Studio.

Kinds of `Reminder` row (see bookings/reminders/services.py for how they are sent):
- `before-<minutes>`: to the client, the studio's offsets before the start (DEFAULT_OFFSETS);
- `followup`: to the client, FOLLOWUP_DELAY after the session;
- `agenda`: to the specialist, the day's sessions (bookings/reminders/agenda.py).
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from accounts.models import REMINDER_OFFSET_MAX_MINUTES, REMINDER_OFFSET_MIN_MINUTES, Studio

BEFORE = "before-"
FOLLOWUP = "followup"
AGENDA = "agenda"
DEFAULT_OFFSETS = [1440, 120]
MIN_OFFSET_MINUTES = REMINDER_OFFSET_MIN_MINUTES
MAX_OFFSET_MINUTES = REMINDER_OFFSET_MAX_MINUTES
MAX_GRACE = timedelta(hours=6)
FOLLOWUP_DELAY = timedelta(hours=3)
FOLLOWUP_GRACE = timedelta(hours=24)
AGENDA_GRACE = timedelta(hours=6)


def offset_minutes(kind: str) -> int | None:
    """The offset of a `before-N` kind, else None."""
    if kind.startswith(BEFORE) and kind[len(BEFORE) :].isdigit():
        return int(kind[len(BEFORE) :])
    return None


def grace_for(kind: str) -> timedelta:
    """How late a reminder of this kind may still go out."""
    minutes = offset_minutes(kind)
    if minutes is not None:
        return min(timedelta(minutes=minutes) / 2, MAX_GRACE)
    return FOLLOWUP_GRACE if kind == FOLLOWUP else AGENDA_GRACE


def studio_offsets(studio: Studio | None = None) -> list[int]:
    """The studio's reminder offsets in minutes, cleaned (30 min to 14 days, unique): a row
    saved before the studio form checked them may hold others. `studio`: the caller's copy."""
    raw = (studio or Studio.get()).reminder_offsets_minutes or DEFAULT_OFFSETS
    clean = {
        int(m)
        for m in raw
        if str(m).isdigit() and MIN_OFFSET_MINUTES <= int(m) <= MAX_OFFSET_MINUTES
    }
    return sorted(clean, reverse=True)


def zone(name: str) -> ZoneInfo:
    """The named zone, or the studio's when the name is not one Python knows."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError):
        return ZoneInfo(Studio.get().timezone)
