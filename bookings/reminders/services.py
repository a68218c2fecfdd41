"""Reminders: rows created with a booking, moved on reschedule, cancelled with it, sent once.

Hooks (called by bookings/services.py inside the booking's transaction, booking row locked):
- reminders_schedule(booking): create or move the booking's reminders (none while held).
- reminders_cancel(booking): stop those not sent yet.

Kinds of `Reminder` row (one per booking, kind and channel; see the model):
- `before-<minutes>`: to the client, the studio's offsets before the start (default 24 h, 2 h),
  by e-mail and, when the client has a phone number and SMS is on, by SMS. Offsets are real
  elapsed time: across a DST change "24 h before" is 23 or 25 wall-clock hours before.
- `followup`: to the client, FOLLOWUP_DELAY after a session that was not cancelled or marked a
  no-show ("book your next session"); skipped when the client has already booked again.
- `agenda`: to the specialist, the day's sessions at AGENDA_HOUR in their zone. It hangs on one
  booking of that day (the anchor) and is made by agenda.agendas_schedule.

Sending (reminders_send_due, every minute from beat) works like healthchecks' `sendalerts`:
1. Claim: in a transaction, a conditional UPDATE sets `sent_at` (the claim time) and counts the
   attempt, only where the row is still pending and unclaimed. Only one worker gets 1 row back:
   two due jobs at once, or a task redelivered after a lost ack, never send a row twice.
2. Send outside any transaction (never hold a lock across SMTP or HTTP).
3. Success: status `sent`. Failure: the claim is released (`sent_at` back to NULL), the error is
   recorded and the row is retried after REMINDERS_RETRY_SECONDS * 2^(attempts-1) (capped at
   30 min), up to MAX_ATTEMPTS, then `failed`. Retries live in the database, not in a broker
   message, so a lost message loses nothing.
A claim older than CLAIM_LEASE (SMTP/HTTP calls time out well before) means its worker died
mid-send; the row is claimed again. That one case may send twice (the message may have left
before the crash): we prefer a rare duplicate to a silently dropped reminder.

Grace: a reminder is sent late only within a grace period after its due time, otherwise it is
`skipped` with the reason (e.g. the workers were down for a day). For `before-N` the grace is
half the offset, at most 6 h: 1 h for the 2 h reminder, 6 h for the 24 h one. Follow-ups: 24 h.
Agendas: 6 h. A reminder already due when it is scheduled (booked 20 h ahead: the 24 h one) is
recorded as skipped; the booking confirmation has just told the client.

Lease and grace agree: a row taken over from a dead worker is judged by that worker's claim
(made within the grace), so the take-over sends it unless the session has started. The studio's
offsets are at least REMINDER_OFFSET_MIN_MINUTES (30, checked when the studio is saved, offsets
below it ignored here), so even a claim at the very end of the grace (15 min) is taken over
(lease 10 min + one due-job run) before the session: tests/bookings/reminders/test_lease.py.

Clock: the due job reads the real clock, or runs as of `now` when given one (the tests of real
workers pass it through the task, so no test depends on the wall clock lining up).
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from accounts.models import Studio
from bookings.models import Booking, Reminder
from bookings.reminders import agenda, messages
from bookings.reminders.kinds import (
    AGENDA,
    BEFORE,
    FOLLOWUP,
    FOLLOWUP_DELAY,
    grace_for,
    offset_minutes,
    studio_offsets,
)
from bookings.sms import sms_enabled

log = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 6
MAX_RETRY_DELAY = timedelta(minutes=30)
BATCH = 200
MARK_EVERY = 25  # sent rows marked per UPDATE

Status = Reminder.Status


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: doubling from REMINDERS_RETRY_SECONDS."""
    base = timedelta(seconds=settings.REMINDERS_RETRY_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), MAX_RETRY_DELAY)


def _desired(booking: Booking, studio: Studio | None) -> dict[tuple[str, str], datetime]:
    """(kind, channel) -> due time, for a confirmed booking."""
    channels: list[str] = [Reminder.Channel.EMAIL]
    if booking.client.phone and sms_enabled():
        channels.append(Reminder.Channel.SMS)
    # In UTC first: Python subtracts from an aware local time on the wall clock, so 24 h before
    # a session just after a DST change would come out as 23 or 25 real hours.
    start, end = booking.start.astimezone(UTC), booking.end.astimezone(UTC)
    wanted: dict[tuple[str, str], datetime] = {
        (f"{BEFORE}{m}", ch): start - timedelta(minutes=m)
        for m in studio_offsets(studio)
        for ch in channels
    }
    wanted[(FOLLOWUP, Reminder.Channel.EMAIL)] = end + FOLLOWUP_DELAY
    return wanted


@transaction.atomic(savepoint=False)  # its callers' transaction: nothing here is retried
def reminders_schedule(
    booking: Booking,
    *,
    now: datetime | None = None,
    new: bool = False,
    studio: Studio | None = None,
) -> None:
    """Create or move this booking's reminders (a held booking gets none until confirmed).

    `new`: the booking was inserted in this transaction, so it has no reminders to look up.
    `studio`: the caller's copy (the offsets), saving a query."""
    if booking.status == Booking.Status.CANCELLED:
        reminders_cancel(booking)
        return
    if booking.status != Booking.Status.CONFIRMED:
        return
    now = now or timezone.now()
    wanted = _desired(booking, studio)
    existing = {}
    if not new:
        existing = {(r.kind, r.channel): r for r in booking.reminders.exclude(kind=AGENDA)}
    missing = []
    for (kind, channel), due in wanted.items():
        # Already due when scheduled: the confirmation (or change) e-mail has just gone out.
        status, note = (Status.PENDING, "")
        if due <= now:
            status, note = (Status.SKIPPED, "Booked after this reminder was due.")
        row = existing.get((kind, channel))
        if row is None:
            missing.append(
                Reminder(
                    booking=booking,
                    kind=kind,
                    channel=channel,
                    due_at=due,
                    status=status,
                    last_error=note,
                )
            )
        elif row.due_at != due or row.status == Status.CANCELLED:
            # Moved (or re-confirmed): a fresh row for the new time. Resetting `sent_at` also
            # voids a claim in flight, so that worker cannot mark the moved row as sent.
            Reminder.objects.filter(pk=row.pk).update(
                due_at=due, status=status, sent_at=None, attempts=0, last_error=note, updated=now
            )
    Reminder.objects.bulk_create(missing)  # one INSERT
    stale = [r.pk for key, r in existing.items() if key not in wanted]
    if stale:
        Reminder.objects.filter(pk__in=stale, status=Status.PENDING, sent_at__isnull=True).update(
            status=Status.CANCELLED, last_error="No longer scheduled.", updated=now
        )


@transaction.atomic
def reminders_cancel(booking: Booking) -> None:
    """Cancel every reminder of this booking that has not gone out (the day's agenda stays)."""
    booking.reminders.exclude(kind=AGENDA).filter(
        status=Status.PENDING, sent_at__isnull=True
    ).update(status=Status.CANCELLED, last_error="Booking cancelled.", updated=timezone.now())


def reminders_backfill(*, now: datetime, limit: int = 100) -> int:
    """Schedule reminders for confirmed upcoming bookings that have none (made outside the
    booking services, e.g. in the admin or by a data import); returns how many."""
    has_rows = Reminder.objects.filter(booking=OuterRef("pk")).exclude(kind=AGENDA)
    ids = list(
        Booking.objects.filter(status=Booking.Status.CONFIRMED, start__gt=now)
        .filter(~Exists(has_rows))
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        with transaction.atomic():
            booking = Booking.objects.select_for_update().select_related("client").get(pk=pk)
            reminders_schedule(booking, now=now)
    return len(ids)


def _due(now: datetime):
    """Pending rows due by `now` whose retry wait has passed, or whose claim has gone stale."""
    ready = Q(attempts=0)
    for n in range(1, MAX_ATTEMPTS + 1):
        ready |= Q(attempts=n, updated__lte=now - retry_delay(n))
    return Reminder.objects.filter(status=Status.PENDING, due_at__lte=now).filter(
        Q(sent_at__isnull=True) & ready | Q(sent_at__lte=now - CLAIM_LEASE)
    )


def _clock(now: datetime | None) -> Callable[[], datetime]:
    """The run's clock: the real one, or one stopped at `now`."""
    if now is None:
        return timezone.now
    stopped = now
    return lambda: stopped


def reminders_send_due(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send each due reminder once (see the module docstring); returns counts per outcome."""
    clock = _clock(now)
    reminders_backfill(now=clock())
    ids = list(_due(clock()).order_by("due_at", "pk").values_list("pk", flat=True)[:limit])
    return _send_batch(ids, clock) if ids else {}


def _count(counts: dict[str, int], outcome: str) -> None:
    counts[outcome] = counts.get(outcome, 0) + 1


def _send_batch(ids: list[int], clock: Callable[[], datetime]) -> dict[str, int]:
    """Claim `ids` in one conditional UPDATE, send the rows this worker won over one open mail
    connection, then mark the sent ones in one UPDATE keyed on the claim."""
    now = clock()
    claimed, counts = _claim(ids, now)
    sent: list[int] = []
    with messages.batch():
        for row in claimed:
            try:
                messages.deliver(row)
            except Exception as exc:  # any failure of the mail or SMS backend: record it, retry
                _count(counts, _release_failed(row, exc, clock()))
                continue
            sent.append(row.pk)
            _count(counts, "sent")
            if len(sent) >= MARK_EVERY:
                _mark_sent(sent, now, clock())
    _mark_sent(sent, now, clock())
    return counts


def _mark_sent(sent: list[int], claim: datetime, at: datetime) -> None:
    """Mark these rows sent (and empty the list). Done every MARK_EVERY sends, so a worker that
    dies mid-batch leaves at most that many sent rows to be re-sent when their lease runs out."""
    if sent:
        # Keyed on our claim (`sent_at`): a row the booking's move reset meanwhile stays as is.
        Reminder.objects.filter(pk__in=sent, sent_at=claim).update(
            status=Status.SENT, last_error="", updated=at
        )
        log.info("reminders sent: %s", len(sent))
        sent.clear()


def _release_failed(row: Reminder, exc: Exception, at: datetime) -> str:
    """Give the claim back after a failed send: retry with backoff, or `failed` at the end
    (the backoff counts from `at`, the failure)."""
    give_up = row.attempts >= MAX_ATTEMPTS
    Reminder.objects.filter(pk=row.pk, sent_at=row.sent_at).update(
        sent_at=None,
        status=Status.FAILED if give_up else Status.PENDING,
        last_error=f"Attempt {row.attempts}: {type(exc).__name__}: {exc}"[:1000],
        updated=at,
    )
    log.warning(
        "reminder %s (%s, %s) attempt %s failed: %s",
        *(row.pk, row.kind, row.channel, row.attempts, type(exc).__name__),
    )
    return "failed" if give_up else "retry"


def _verdict(row: Reminder, now: datetime) -> tuple[str, str] | None:
    """Why this row must not be sent (new status, note), or None to send it."""
    booking = row.booking
    if row.kind != AGENDA:
        if booking.status == Booking.Status.CANCELLED:
            return Status.CANCELLED, "Booking cancelled."
        if booking.client.erased_at:
            return Status.SKIPPED, "Client record erased."
    # A claim gone stale was made within the grace by a worker that died: judge the row by that
    # claim, so the take-over still sends it (unless the session has started, checked below).
    late = (row.sent_at or now) - row.due_at
    if late > grace_for(row.kind):
        return Status.SKIPPED, f"Not sent: {_span(late)} late (grace {_span(grace_for(row.kind))})."
    if row.attempts >= MAX_ATTEMPTS:
        return Status.FAILED, f"Gave up after {row.attempts} attempts. {row.last_error}"[:1000]
    if row.channel == Reminder.Channel.SMS:
        if not sms_enabled():
            return Status.SKIPPED, "SMS is not configured."
        if not booking.client.phone:
            return Status.SKIPPED, "No phone number."
    if offset_minutes(row.kind) is not None:
        if booking.status != Booking.Status.CONFIRMED:
            return Status.SKIPPED, f"Booking is {booking.get_status_display().lower()}."
        if booking.start <= now:
            return Status.SKIPPED, "Session already started."
    elif row.kind == FOLLOWUP:
        if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED):
            return Status.SKIPPED, f"Booking is {booking.get_status_display().lower()}."
        if Booking.objects.filter(
            client=booking.client, start__gt=booking.end, status__in=Booking.BLOCKING
        ).exists():
            return Status.SKIPPED, "Already booked the next session."
    elif row.kind == AGENDA:
        if not agenda.agenda_bookings(row):
            return Status.SKIPPED, "No sessions left that day."
    return None


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return (
        f"{hours} h {minutes} min"
        if hours and minutes
        else f"{hours} h"
        if hours
        else f"{minutes} min"
    )


def _claim(ids: list[int], now: datetime) -> tuple[list[Reminder], dict[str, int]]:
    """The guard. Lock the due rows (skipping those another worker holds), re-check each is
    still worth sending (else record why), then ONE conditional UPDATE sets `sent_at` to this
    claim's time where the row is still due, pending and unclaimed (or its claim is stale).
    Only the rows that now carry our claim (re-read by `sent_at`) are ours to send."""
    counts: dict[str, int] = {}
    with transaction.atomic():
        # PostgreSQL: a second worker skips rows being claimed instead of waiting for them.
        rows = list(
            _due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "booking__client__user", "booking__specialist__user", "booking__service"
            )
            .filter(pk__in=ids)
            .order_by("due_at", "pk")
        )
        candidates: dict[int, Reminder] = {}
        won: dict[int, datetime] = {}
        moved: list[int] = []
        for row in rows:
            verdict = _verdict(row, now)
            if verdict is None:
                candidates[row.pk] = row
                continue
            status, note = verdict
            Reminder.objects.filter(pk=row.pk, status=Status.PENDING, sent_at=row.sent_at).update(
                status=status, sent_at=None, last_error=note, updated=now
            )
            log.info("reminder %s (%s, %s) %s", row.pk, row.kind, row.channel, status)
            _count(counts, str(status))
        if candidates:
            _due(now).filter(pk__in=list(candidates)).update(
                sent_at=now, attempts=F("attempts") + 1, updated=now
            )
            won = dict(
                Reminder.objects.filter(pk__in=list(candidates), sent_at=now).values_list(
                    "pk", "due_at"
                )
            )
            # A row moved between our read and our claim is not the row we checked: give it back.
            moved = [pk for pk, due in won.items() if due != candidates[pk].due_at]
            if moved:
                Reminder.objects.filter(pk__in=moved, sent_at=now).update(
                    sent_at=None, attempts=F("attempts") - 1, updated=now
                )
    claimed = []
    for pk, row in candidates.items():
        if pk in won and pk not in moved:
            row.sent_at, row.attempts = now, row.attempts + 1
            claimed.append(row)
        else:
            _count(counts, "taken")
    lost = len(ids) - len(rows)
    if lost:
        counts["taken"] = counts.get("taken", 0) + lost
    return claimed, counts
