"""Practice: which exercises fall on a day, the client's practice log, pain/adherence series."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import ClientProfile, User
from studio.kernel.errors import Conflict, Invalid, NotAllowed

from .models import PracticeLog, Program, ProgramItem

# Practice weekdays (0 = Monday) when no item names its own days.
DEFAULT_DAYS = {
    1: [0],
    2: [0, 3],
    3: [0, 2, 4],
    4: [0, 1, 3, 4],
    5: [0, 1, 2, 3, 4],
    6: [0, 1, 2, 3, 4, 5],
    7: [0, 1, 2, 3, 4, 5, 6],
}


def client_today(client: ClientProfile) -> date:
    """Today's date where the client lives."""
    return timezone.localdate(timezone=ZoneInfo(client.timezone))


def latest_loggable_day() -> date:
    """The last day practice can be logged for: today in the earliest zone on earth (UTC+14).
    A client's device can be ahead of their profile's zone (travelling, a stale setting), and a
    day that has begun anywhere is not in the future for everyone."""
    return timezone.localdate(timezone=ZoneInfo("Etc/GMT-14"))


def visible_items(program: Program) -> list[ProgramItem]:
    """The items the client is given: all but contraindicated ones still awaiting a reason."""
    return [item for item in program.items.all() if not item.pending_reason]


def base_weekdays(program: Program) -> list[int]:
    """The days an item without its own days falls on, spread by the weekly frequency."""
    return DEFAULT_DAYS.get(program.weekly_frequency, DEFAULT_DAYS[3])


def scheduled_on(item: ProgramItem, weekday: int, base: list[int]) -> bool:
    return weekday in (item.days or base)


def practice_weekdays(program: Program) -> list[int]:
    """Weekdays with something to practise: the frequency's days plus the items' own days."""
    named = {d for item in visible_items(program) for d in item.days}
    return sorted(named.union(base_weekdays(program)))


def items_for_day(program: Program, day: date) -> list[ProgramItem]:
    """The exercises planned for a day ([] on a rest day)."""
    base = base_weekdays(program)
    return [item for item in visible_items(program) if scheduled_on(item, day.weekday(), base)]


def practice_dates(program: Program, start: date, end: date) -> list[date]:
    """Every planned practice date from start to end inclusive (for calendars and nudges)."""
    days = set(practice_weekdays(program))
    first = max(start, program.start_date) if program.start_date else start
    count = (end - first).days + 1
    return [d for d in (first + timedelta(n) for n in range(max(count, 0))) if d.weekday() in days]


@transaction.atomic
def practice_log_record(
    *,
    program: Program,
    by: User,
    date: date,
    pain: int | None = None,
    difficulty: int | None = None,
    completed_items: list[int] | None = None,
    comment: str = "",
) -> tuple[PracticeLog, bool]:
    """Record (or, for the same day, replace) the client's practice on their active program.

    Returns (log, created). Raises NotAllowed (not the program's client), Conflict (program not
    active), Invalid (a day not yet begun anywhere, before the start, items not in the program,
    pain/difficulty out of range).
    """
    program = (
        Program.objects.select_for_update()
        .select_related("client__user")
        .prefetch_related("items")
        .get(pk=program.pk)
    )
    if program.client.user_id != by.pk:
        raise NotAllowed("Only the client records their practice.")
    if program.status != Program.Status.ACTIVE:
        raise Conflict("Practice can be logged only on an active program.")
    if date > latest_loggable_day():
        raise Invalid("That day has not happened yet.", field="date")
    if program.start_date and date < program.start_date:
        raise Invalid("That day is before the program started.", field="date")
    if pain is not None and not 0 <= pain <= 10:
        raise Invalid("Pain is from 0 (none) to 10 (worst).", field="pain")
    if difficulty is not None and not 1 <= difficulty <= 10:
        raise Invalid("Difficulty is from 1 to 10.", field="difficulty")
    items = {item.pk: item for item in visible_items(program)}
    done = set(completed_items or [])
    if unknown := done - set(items):
        raise Invalid(f"Not exercises of this program: {sorted(unknown)}.", field="completed_items")
    planned = items_for_day(program, date) or list(items.values())
    log, created = PracticeLog.objects.update_or_create(
        program=program,
        date=date,
        defaults={
            "pain": pain,
            "difficulty": difficulty,
            "comment": comment.strip(),
            "program_version": program.version,
            "planned_count": len(planned),
            "done_count": len(done),
        },
    )
    log.completed_items.set(done)
    return log, created


def practice_chart(logs: list[PracticeLog]) -> dict:
    """Pain and adherence per logged day, oldest first, for Chart.js."""
    ordered = sorted(logs, key=lambda log: log.date)
    return {
        "labels": [log.date.isoformat() for log in ordered],
        "pain": [log.pain for log in ordered],
        "adherence": [log.adherence for log in ordered],
    }
