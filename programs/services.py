"""Every write to programs: create, edit (with versions), status changes, templates.

Item input is a list of dicts: {"exercise": Exercise, "id"?: item id to keep, "sets"?, "reps"?,
"hold_seconds"?, "breaths"?, "per_side"?, "cue"?, "days"?, "override_reason"?}. A dosage field
left out takes the exercise's default.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts import access
from accounts.models import AuditEvent, ClientProfile, SpecialistProfile, User
from studio.kernel.errors import Conflict, Invalid

from . import contraindications
from .models import (
    DOSAGE_FIELDS,
    Exercise,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramVersion,
    TemplateItem,
)
from .practice import client_today

Status = Program.Status
_UNSET = object()


def _audit(by: User | None, client: ClientProfile, action: str, program: Program) -> None:
    AuditEvent.objects.create(actor=by, client=client, action=action, what=f"program #{program.pk}")


def _item_fields(row: dict) -> dict:
    exercise = row["exercise"]
    fields = {
        f: row.get(f) if row.get(f) is not None else getattr(exercise, f) for f in DOSAGE_FIELDS
    }
    fields["cue"] = (row.get("cue") or "").strip()
    fields["days"] = sorted(set(row.get("days") or []))
    return fields


def _write_items(*, program: Program, items: list[dict], by: User | None) -> None:
    """Replace the program's items with `items`, keeping the rows whose id is given."""
    existing = {item.pk: item for item in program.items.all()}
    conditions = contraindications.client_conditions([program.client])[program.client_id]
    keep: set[int] = set()
    now = timezone.now()
    for position, row in enumerate(items):
        item = existing.get(row["id"]) if row.get("id") else None
        if row.get("id") and item is None:
            raise Invalid(f"Item {row['id']} is not part of this program.", field="items")
        if item is None:
            item = ProgramItem(program=program)
        elif item.pk in keep:
            raise Invalid(f"Item {item.pk} appears twice.", field="items")
        same_exercise = item.pk is not None and item.exercise_id == row["exercise"].pk
        item.exercise = row["exercise"]
        item.position = position
        for field, value in _item_fields(row).items():
            setattr(item, field, value)
        flags = sorted(c.slug for c in contraindications.flagged(item.exercise, conditions))
        reason = (row.get("override_reason") or "").strip()
        if not flags:
            reason = ""
        elif not reason and same_exercise and set(flags) <= set(item.flagged_conditions):
            reason = item.override_reason  # already justified for these conditions
        if reason != item.override_reason:
            item.override_by, item.override_at = (by, now) if reason else (None, None)
        item.flagged_conditions, item.override_reason = flags, reason
        item.save()
        keep.add(item.pk)
    program.items.exclude(pk__in=keep).delete()


def snapshot(program: Program) -> dict:
    """The program's content as stored in a version (what the client is given)."""
    return {
        "title": program.title,
        "goal": program.goal,
        "start_date": program.start_date.isoformat() if program.start_date else None,
        "weekly_frequency": program.weekly_frequency,
        "items": [
            {
                "id": item.pk,
                "exercise": item.exercise_id,
                "exercise_name": item.exercise.name,
                **item.dosage(),
                "cue": item.cue,
                "days": item.days,
                "flagged_conditions": item.flagged_conditions,
                "override_reason": item.override_reason,
            }
            for item in program.items.select_related("exercise").order_by("position", "id")
        ],
    }


def _check_not_erased(program: Program) -> None:
    """Erasure scrubbed this client's programs (programs.privacy): no new text may go in."""
    if program.client.erased_at:
        raise Conflict("This client's record has been erased: their programs cannot be edited.")


def _record_version(*, program: Program, by: User | None, reason: str) -> ProgramVersion:
    program.version += 1
    program.save(update_fields=["version", "updated"])
    return ProgramVersion.objects.create(
        program=program,
        number=program.version,
        reason=reason,
        snapshot=snapshot(program),
        created_by=by,
    )


def _activate(*, program: Program, by: User | None, reason: str) -> None:
    if not program.items.exists():
        raise Invalid("Add at least one exercise before publishing.", field="items")
    # One active program per client (a database constraint): the previous one is completed.
    # Locking the client serialises two publishes for the same client.
    ClientProfile.objects.select_for_update().filter(pk=program.client_id).first()
    Program.objects.filter(client=program.client, status=Status.ACTIVE).exclude(
        pk=program.pk
    ).update(status=Status.COMPLETED, updated=timezone.now())
    program.status = Status.ACTIVE
    program.published_at = timezone.now()
    if not program.start_date:
        program.start_date = client_today(program.client)
    program.save(update_fields=["status", "published_at", "start_date", "updated"])
    _record_version(program=program, by=by, reason=reason)


@transaction.atomic
def program_create(
    *,
    client: ClientProfile,
    by: User,
    title: str = "",
    goal: str = "",
    items: list[dict] | None = None,
    template: ProgramTemplate | None = None,
    status: str = Status.ACTIVE,
    start_date: date | None = None,
    weekly_frequency: int | None = None,
    specialist: SpecialistProfile | None = None,
) -> Program:
    """Assign a program to a client, from a template or from scratch; active unless draft.

    Contraindicated items are kept with their warning and held back from the client until a
    reason is stored. Raises NotFound (a client `by` may not see: accounts/access.py), Invalid
    (no title, erased client, empty active program).
    """
    client = access.client_or_404(by, client.pk, field="client")
    if client.erased_at:
        raise Invalid("This client's record has been erased.", field="client")
    if status not in (Status.ACTIVE, Status.DRAFT):
        raise Invalid("A new program is either active or a draft.", field="status")
    if items is None and template is not None:
        items = [
            {"exercise": t.exercise, **t.dosage(), "cue": t.cue, "days": t.days}
            for t in template.items.select_related("exercise").prefetch_related(
                "exercise__contraindications"
            )
        ]
    title = (title or (template.title if template else "")).strip()
    if not title:
        raise Invalid("Give the program a title.", field="title")
    if specialist is None:
        specialist = getattr(by, "specialist", None) or client.assigned_specialist
    program = Program.objects.create(
        client=client,
        specialist=specialist,
        template=template,
        title=title,
        goal=goal or (template.goal if template else ""),
        start_date=start_date,
        weekly_frequency=weekly_frequency or (template.weekly_frequency if template else 3),
        created_by=by,
    )
    _write_items(program=program, items=items or [], by=by)
    if status == Status.ACTIVE:
        _activate(program=program, by=by, reason="Program assigned.")
    _audit(by, client, AuditEvent.Action.CREATED, program)
    return program


@transaction.atomic
def program_update(
    *,
    program: Program,
    by: User,
    reason: str = "",
    title: str | None = None,
    goal: str | None = None,
    start_date=_UNSET,
    weekly_frequency: int | None = None,
    items: list[dict] | None = None,
) -> Program:
    """Edit a draft or active program; a change to an active one needs a reason and records a
    version. Raises Conflict (completed/archived, or the client's record erased), Invalid (no
    reason, bad item)."""
    program = Program.objects.select_for_update().select_related("client").get(pk=program.pk)
    _check_not_erased(program)
    if not program.is_editable:
        raise Conflict(f"A {program.get_status_display().lower()} program cannot be edited.")
    before = snapshot(program)
    if title is not None:
        if not title.strip():
            raise Invalid("Give the program a title.", field="title")
        program.title = title.strip()
    if goal is not None:
        program.goal = goal
    if start_date is not _UNSET:
        program.start_date = start_date
    if weekly_frequency is not None:
        program.weekly_frequency = weekly_frequency
    program.save()
    if items is not None:
        _write_items(program=program, items=items, by=by)
    if snapshot(program) == before:
        return program
    if program.status == Status.ACTIVE:
        if not reason.strip():
            raise Invalid("Say why this active program changed.", field="reason")
        _record_version(program=program, by=by, reason=reason.strip())
    _audit(by, program.client, AuditEvent.Action.CHANGED, program)
    return program


def program_viewed(*, program: Program, by: User) -> None:
    """Record that a staff member opened a client's program (audit trail, no health data)."""
    _audit(by, program.client, AuditEvent.Action.VIEWED, program)


@transaction.atomic
def program_publish(*, program: Program, by: User, reason: str = "") -> Program:
    """Make a draft the client's active program (the previous active one is completed).
    Repeating it is harmless. Raises Conflict (not a draft, or the client's record erased),
    Invalid (no items)."""
    program = Program.objects.select_for_update().select_related("client").get(pk=program.pk)
    if program.status == Status.ACTIVE:
        return program
    _check_not_erased(program)
    if program.status != Status.DRAFT:
        raise Conflict(f"A {program.get_status_display().lower()} program cannot be published.")
    _activate(program=program, by=by, reason=reason.strip() or "Program published.")
    _audit(by, program.client, AuditEvent.Action.CHANGED, program)
    return program


_TRANSITIONS: dict[str, set[str]] = {
    Status.COMPLETED: {Status.ACTIVE},
    Status.ARCHIVED: {Status.DRAFT, Status.ACTIVE, Status.COMPLETED},
}


@transaction.atomic
def program_set_status(*, program: Program, by: User, status: str) -> Program:
    """Complete an active program or archive any program; repeating it is harmless.
    Raises Conflict for any other change (publish drafts with program_publish)."""
    program = Program.objects.select_for_update().select_related("client").get(pk=program.pk)
    if program.status == status:
        return program
    if program.status not in _TRANSITIONS.get(status, set()):
        raise Conflict(f"A {program.get_status_display().lower()} program cannot become {status}.")
    program.status = status
    program.save(update_fields=["status", "updated"])
    _audit(by, program.client, AuditEvent.Action.CHANGED, program)
    return program


@transaction.atomic
def template_create_from_program(*, program: Program, by: User, title: str) -> ProgramTemplate:
    """Save a program's exercises, dosage and cues as a new template (no client data)."""
    title = title.strip()
    if not title:
        raise Invalid("Give the template a title.", field="title")
    base, n = slugify(title)[:100] or "template", 1
    slug = base
    while ProgramTemplate.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    template = ProgramTemplate.objects.create(
        title=title,
        slug=slug,
        goal=program.goal,
        weekly_frequency=program.weekly_frequency,
        created_by=by,
    )
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            exercise_id=item.exercise_id,
            position=item.position,
            cue=item.cue,
            days=item.days,
            **item.dosage(),
        )
        for item in program.items.all()
    )
    return template


@transaction.atomic
def exercise_save(*, exercise: Exercise, data: dict) -> Exercise:
    """Create or update a catalog exercise and its links (regions, equipment,
    contraindications, progressions). Raises Invalid when it has no reps, hold or breaths."""
    data = dict(data)
    links = {
        k: data.pop(k)
        for k in ("regions", "equipment", "contraindications", "progressions")
        if k in data
    }
    if not any(data.get(f) for f in ("reps", "hold_seconds", "breaths")):
        raise Invalid("Give reps, a hold time or a number of breaths.", field="reps")
    for field, value in data.items():
        setattr(exercise, field, value)
    exercise.save()
    for field, values in links.items():
        getattr(exercise, field).set(values)
    return exercise
