"""Practice: which exercises fall on a day, the client's practice log, pain/adherence series."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import ClientProfile, User
from studio.kernel.errors import Conflict, Invalid, NotAllowed, NotFound

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


EMPTY_LOG = "Tick an exercise, or give pain, difficulty or a comment, before saving."


def _locked_program(program: Program, by: User) -> Program:
    """The program, locked, once it is known the client may log on it."""
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
    return program


def _check_entry(
    program: Program, *, day: date, pain, difficulty, completed_items, comment
) -> set[int]:
    """Raise Invalid for an entry that cannot be logged; return the ticked item ids."""
    if day > latest_loggable_day():
        raise Invalid("That day has not happened yet.", field="date")
    if program.start_date and day < program.start_date:
        raise Invalid("That day is before the program started.", field="date")
    if pain is not None and not 0 <= pain <= 10:
        raise Invalid("Pain is from 0 (none) to 10 (worst).", field="pain")
    if difficulty is not None and not 1 <= difficulty <= 10:
        raise Invalid("Difficulty is from 1 to 10.", field="difficulty")
    done = set(completed_items or [])
    if unknown := done - {item.pk for item in visible_items(program)}:
        raise Invalid(f"Not exercises of this program: {sorted(unknown)}.", field="completed_items")
    if not (done or pain is not None or difficulty is not None or comment.strip()):
        raise Invalid(EMPTY_LOG)
    return done


def _keep_or_set(name: str, label: str, old: int | None, new: int | None) -> int | None:
    """A score already logged for the day stays unless edited explicitly: a different one is a
    Conflict, a missing one keeps it."""
    if new is None or old is None or new == old:
        return old if new is None else new
    raise Conflict(
        f"{label} {old} is already logged for that day; edit the day to change it.", field=name
    )


def _save(log: PracticeLog, program: Program, done: set[int]) -> PracticeLog:
    """Store the log's counts against the program's current version, then its ticked items."""
    planned = items_for_day(program, log.date) or visible_items(program)
    log.program_version = program.version
    log.planned_count = len(planned)
    log.done_count = len(done)
    log.save()
    log.completed_items.set(done)
    return log


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
    """Record the client's practice on their active program, adding to a day already logged.

    A second entry for a day never loses the first: ticked exercises are joined, the comment is
    appended, a score fills a blank one (a different score is a Conflict: edit the day with
    practice_log_update). Returns (log, created). Raises NotAllowed (not the program's client),
    Conflict (program not active, a different score), Invalid (an empty entry, a day not yet
    begun anywhere, before the start, items not in the program, pain/difficulty out of range).
    """
    program = _locked_program(program, by)
    done = _check_entry(
        program,
        day=date,
        pain=pain,
        difficulty=difficulty,
        completed_items=completed_items,
        comment=comment,
    )
    log = PracticeLog.objects.filter(program=program, date=date).first()
    if log is None:
        log = PracticeLog(program=program, date=date, pain=pain, difficulty=difficulty)
        log.comment = comment.strip()
        return _save(log, program, done), True
    log.pain = _keep_or_set("pain", "Pain", log.pain, pain)
    log.difficulty = _keep_or_set("difficulty", "Difficulty", log.difficulty, difficulty)
    log.comment = "\n".join(part for part in (log.comment, comment.strip()) if part)
    done |= set(log.completed_items.values_list("pk", flat=True))
    return _save(log, program, done), False


@transaction.atomic
def practice_log_update(
    *,
    program: Program,
    by: User,
    date: date,
    pain: int | None = None,
    difficulty: int | None = None,
    completed_items: list[int] | None = None,
    comment: str = "",
) -> PracticeLog:
    """Replace a logged day with what the client now says (their explicit edit).

    Raises NotFound when nothing is logged that day, and what practice_log_record raises for an
    entry that cannot be logged (an edit may not empty the day either).
    """
    program = _locked_program(program, by)
    done = _check_entry(
        program,
        day=date,
        pain=pain,
        difficulty=difficulty,
        completed_items=completed_items,
        comment=comment,
    )
    log = PracticeLog.objects.filter(program=program, date=date).first()
    if log is None:
        raise NotFound("Nothing is logged for that day yet.", field="date")
    log.pain, log.difficulty, log.comment = pain, difficulty, comment.strip()
    return _save(log, program, done)


def practice_chart(logs: list[PracticeLog]) -> dict:
    """Pain and adherence per logged day, oldest first, for Chart.js."""
    ordered = sorted(logs, key=lambda log: log.date)
    return {
        "labels": [log.date.isoformat() for log in ordered],
        "pain": [log.pain for log in ordered],
        "adherence": [log.adherence for log in ordered],
    }
