"""Reads for the reminders page and panel: a constant number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet

from accounts import access
from accounts.models import User
from bookings.models import Reminder
from bookings.reminders.kinds import AGENDA, FOLLOWUP, offset_minutes
from bookings.reminders.services import retry_delay

Status = Reminder.Status
RECENT = timedelta(days=7)


def reminder_scope(*, user: User) -> QuerySet[Reminder]:
    """The rows a staff member may see: those of bookings whose client they may see (the owner
    all, a specialist their care teams' clients': accounts/access.py)."""
    rows = Reminder.objects.select_related(
        "booking__client__user", "booking__specialist__user", "booking__service"
    )
    if not user.is_studio_staff:
        return rows.none()
    return rows.filter(access.client_filter(user, "booking__client__"))


def reminder_list_upcoming(*, user: User, limit: int = 100) -> list[Reminder]:
    """Pending rows, soonest first (overdue ones waiting for a retry come first)."""
    return list(reminder_scope(user=user).filter(status=Status.PENDING).order_by("due_at")[:limit])


def reminder_list_recent(
    *, user: User, now: datetime, state: str = "", limit: int = 100
) -> list[Reminder]:
    """Rows settled in the last 7 days (sent, skipped, cancelled, failed), newest first."""
    rows = (
        reminder_scope(user=user).exclude(status=Status.PENDING).filter(updated__gte=now - RECENT)
    )
    if state in Status.values:
        rows = rows.filter(status=state)
    return list(rows.order_by("-updated", "-pk")[:limit])


def reminder_counts(*, user: User, now: datetime) -> dict[str, int]:
    """Headline numbers in one query."""
    recent = Q(updated__gte=now - RECENT)
    return reminder_scope(user=user).aggregate(
        due_24h=Count("pk", filter=Q(status=Status.PENDING, due_at__lte=now + timedelta(days=1))),
        retrying=Count("pk", filter=Q(status=Status.PENDING, attempts__gt=0)),
        sent_24h=Count("pk", filter=Q(status=Status.SENT, updated__gte=now - timedelta(days=1))),
        failed=Count("pk", filter=recent & Q(status=Status.FAILED)),
        skipped=Count("pk", filter=recent & Q(status=Status.SKIPPED)),
    )


def kind_label(kind: str) -> str:
    minutes = offset_minutes(kind)
    if minutes is not None:
        hours, rest = divmod(minutes, 60)
        if hours and not rest:
            return f"{hours} h before"
        return f"{hours} h {rest} min before" if hours else f"{rest} min before"
    return {FOLLOWUP: "Follow-up", AGENDA: "Daily agenda"}.get(kind, kind)


@dataclass
class Row:
    """A reminder as the page shows it."""

    reminder: Reminder
    kind: str
    to: str
    state: str
    badge: str
    next_try: datetime | None


def present(reminder: Reminder) -> Row:
    booking = reminder.booking
    to = booking.specialist.user.name if reminder.kind == AGENDA else booking.client.user.name
    next_try = None
    if reminder.status == Status.PENDING and reminder.sent_at:
        state, badge = "sending", "pending"
    elif reminder.status == Status.PENDING and reminder.attempts:
        state, badge = f"retrying ({reminder.attempts} failed)", "retry"
        next_try = max(reminder.due_at, reminder.updated + retry_delay(reminder.attempts))
    elif reminder.status == Status.PENDING:
        state, badge = "scheduled", "pending"
    else:
        state, badge = reminder.get_status_display().split(" (")[0].lower(), reminder.status
    return Row(reminder, kind_label(reminder.kind), to, state, badge, next_try)
