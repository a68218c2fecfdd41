"""Practice nudges: an e-mail to a client whose active program has no practice logged for
PRACTICE_NUDGE_DAYS days, at most once per that many days per client.

Run hourly by beat (bookings.reminders.tasks.practice_nudges_send_task); a client is nudged only
between NUDGE_FROM and NUDGE_UNTIL o'clock in their own zone, so the first run inside that window
on the right day sends it.

Idle means: no log on any of the last N days (today included, in the client's zone), the
program has been running for at least N days (counted from its start date, or its publication
when it has none), and at least one practice day fell in those N days.

Once: a PracticeNudge row (unique per client and local day) is inserted and committed before the
e-mail leaves; a second worker or a rerun either sees the row of the last N days or fails the
unique constraint and sends nothing. A failed send deletes its row, so the next run retries. Only
a crash between the send and the end of the request could lose that row (never a duplicate).

The subject names the studio only; the body links to the portal program page. No health data.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Studio
from bookings.models import PracticeNudge
from bookings.reminders.kinds import zone
from programs.models import Program
from programs.practice import practice_dates
from programs.selectors import programs_without_recent_practice

log = logging.getLogger(__name__)

NUDGE_FROM = time(9, 0)
NUDGE_UNTIL = time(18, 0)


def nudge_days() -> int:
    return max(int(settings.PRACTICE_NUDGE_DAYS), 1)


def program_url(program: Program) -> str:
    return f"{settings.SITE_URL}/portal/program/{program.pk}/"


def _running_since(program: Program) -> date | None:
    """The first day the client could have practised on the program."""
    if program.start_date:
        return program.start_date
    if program.published_at:
        return timezone.localdate(program.published_at, timezone=zone(program.client.timezone))
    return None


def _is_due(program: Program, *, now: datetime, days: int) -> date | None:
    """The client's local date if this program's client should be nudged now, else None."""
    client = program.client
    if client.erased_at or not client.user.is_active or not client.user.email:
        return None
    local_now = now.astimezone(zone(client.timezone))
    if not NUDGE_FROM <= local_now.time() < NUDGE_UNTIL:
        return None
    today = local_now.date()
    window_start = today - timedelta(days=days - 1)
    last_log = getattr(program, "last_log", None)  # annotated by the selector
    if last_log and last_log >= window_start:
        return None
    started = _running_since(program)
    if started is None or started > today - timedelta(days=days):
        return None
    if not practice_dates(program, window_start, today):
        return None
    return today


def practice_nudges_due(*, now: datetime) -> list[tuple[Program, date]]:
    """Programs whose client is due a nudge now, with the client's local date (three queries)."""
    days = nudge_days()
    # A superset: every zone's "today" is within a day of UTC's; each client is checked exactly.
    since = now.date() + timedelta(days=1) - timedelta(days=days - 1)
    programs = list(programs_without_recent_practice(since=since).prefetch_related("items"))
    recent = set(
        PracticeNudge.objects.filter(
            client_id__in=[p.client_id for p in programs],
            day__gt=now.date() - timedelta(days=days + 1),
        ).values_list("client_id", "day")
    )
    due = []
    for program in programs:
        today = _is_due(program, now=now, days=days)
        if today is None:
            continue
        if any(c == program.client_id and d > today - timedelta(days=days) for c, d in recent):
            continue
        due.append((program, today))
    return due


def _claim(program: Program, day: date, days: int) -> PracticeNudge | None:
    """Insert the nudge row unless the client has one of the last N days (None then)."""
    try:
        with transaction.atomic():
            if PracticeNudge.objects.filter(
                client_id=program.client_id, day__gt=day - timedelta(days=days)
            ).exists():
                return None
            return PracticeNudge.objects.create(
                client_id=program.client_id, program=program, day=day
            )
    except IntegrityError:
        return None


def _send(program: Program, nudge: PracticeNudge) -> None:
    studio = Studio.get()
    body = render_to_string(
        "bookings/email/practice_nudge.txt",
        {
            "studio": studio,
            "first_name": program.client.user.first_name or "there",
            "title": program.title,
            "program_url": program_url(program),
        },
    )
    EmailMessage(
        subject=f"Time for your home practice – {studio.name}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[program.client.user.email],
        reply_to=[studio.email] if studio.email else None,
        headers={"X-Tonic-Nudge": str(nudge.pk), "Auto-Submitted": "auto-generated"},
    ).send(fail_silently=False)


def practice_nudges_send(*, now: datetime | None = None) -> dict[str, int]:
    """Nudge every idle client once (see the module docstring); returns counts per outcome."""
    now = now or timezone.now()
    days = nudge_days()
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    for program, day in practice_nudges_due(now=now):
        nudge = _claim(program, day, days)
        if nudge is None:
            counts["skipped"] += 1
            continue
        try:
            _send(program, nudge)
        except Exception:
            log.exception("Practice nudge %s failed; it will be retried", nudge.pk)
            PracticeNudge.objects.filter(pk=nudge.pk).delete()
            counts["failed"] += 1
            continue
        PracticeNudge.objects.filter(pk=nudge.pk).update(sent_at=timezone.now())
        counts["sent"] += 1
    return counts
