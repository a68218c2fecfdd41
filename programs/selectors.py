"""Reads for programs, each in a constant number of queries whatever the number of rows."""

from datetime import date

from django.db.models import Max, Prefetch, Q, QuerySet

from accounts import access
from accounts.models import ClientProfile, User
from studio.kernel.errors import NotFound

from . import contraindications
from .models import (
    Exercise,
    PracticeLog,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramVersion,
    TemplateItem,
)

CLIENT_VISIBLE = (Program.Status.ACTIVE, Program.Status.COMPLETED)


def exercise_list(
    *,
    search: str = "",
    region: str = "",
    equipment: str = "",
    position: str = "",
    difficulty: int | None = None,
    include_inactive: bool = False,
) -> QuerySet[Exercise]:
    """Catalog rows matching the filters, with regions and equipment prefetched."""
    qs = Exercise.objects.prefetch_related("regions", "equipment")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    for word in search.split():
        qs = qs.filter(
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(slug__icontains=word)
        )
    if region:
        qs = qs.filter(regions__slug=region)
    if equipment:
        qs = qs.filter(equipment__slug=equipment)
    if position:
        qs = qs.filter(position=position)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    return qs.distinct()


def exercise_detail_queryset() -> QuerySet[Exercise]:
    return Exercise.objects.prefetch_related(
        "regions", "equipment", "contraindications", "progressions", "regressions"
    )


def exercise_get(*, key: str | int) -> Exercise:
    """One exercise by id or slug. Raises NotFound."""
    lookup = {"pk": key} if str(key).isdigit() else {"slug": key}
    exercise = exercise_detail_queryset().filter(**lookup).first()
    if exercise is None:
        raise NotFound("No such exercise.")
    return exercise


def template_list() -> QuerySet[ProgramTemplate]:
    """Active templates with their ordered items and exercises."""
    items = TemplateItem.objects.select_related("exercise")
    return ProgramTemplate.objects.filter(is_active=True).prefetch_related(
        Prefetch("items", queryset=items)
    )


def program_queryset() -> QuerySet[Program]:
    """Programs with client, specialist, ordered items, their exercises' contraindications and
    the client's conditions loaded up front."""
    items = ProgramItem.objects.select_related("exercise").prefetch_related(
        "exercise__contraindications"
    )
    return Program.objects.select_related(
        "client__user", "specialist__user", "template"
    ).prefetch_related(Prefetch("items", queryset=items), "client__conditions")


def program_list_for(
    *, user: User, client: int | None = None, status: str = "", mine: bool = False
) -> QuerySet[Program]:
    """The programs of the clients `user` may see (accounts/access.py): staff optionally one
    client's, one status, or only their care teams' and their own; a client their own active
    and completed programs."""
    qs = program_queryset().filter(access.client_filter(user, "client__"))
    if not user.is_studio_staff:
        return qs.filter(status__in=CLIENT_VISIBLE)
    if client:
        qs = qs.filter(client_id=client)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(Q(specialist__user=user) | Q(client_id__in=access.team_client_ids(user)))
    return qs


def program_get_for(*, user: User, pk: int) -> Program:
    """One program the user may see. Raises NotFound for anything else (the path's <id:>
    converter has already turned away ids no row can have)."""
    try:
        return program_list_for(user=user).get(pk=pk)
    except Program.DoesNotExist:
        raise NotFound("No such program.") from None


def program_active_for(*, client: ClientProfile) -> Program | None:
    """The client's active program with its items, or None."""
    return program_queryset().filter(client=client, status=Program.Status.ACTIVE).first()


def program_warnings(programs: list[Program]) -> dict[int, list[dict]]:
    """Per program id, its items whose exercise is contraindicated for the client now, each with
    the conditions and the stored reason (None while the item awaits one)."""
    conditions = contraindications.client_conditions(
        {p.client_id: p.client for p in programs}.values()
    )
    result: dict[int, list[dict]] = {}
    for program in programs:
        found = []
        for item in program.items.all():
            hits = contraindications.flagged(item.exercise, conditions[program.client_id])
            if not hits and not item.flagged_conditions:
                continue
            found.append(
                {
                    "item": item.pk,
                    "position": item.position,
                    "exercise": item.exercise_id,
                    "exercise_name": item.exercise.name,
                    "conditions": [{"slug": c.slug, "name": c.name} for c in hits],
                    "reason": item.override_reason or None,
                    "message": (
                        f"{item.exercise.name} is contraindicated for "
                        f"{', '.join(c.name for c in hits) or 'a condition the client had'}. "
                        + (
                            "Kept with a reason."
                            if item.override_reason
                            else "Give a reason to keep it, or remove it; until then the "
                            "client does not see it."
                        )
                    ),
                }
            )
        result[program.pk] = found
    return result


def program_versions(*, program: Program) -> QuerySet[ProgramVersion]:
    return program.versions.select_related("created_by")


def practice_logs(*, program: Program, since: date | None = None) -> QuerySet[PracticeLog]:
    """A program's logs, newest first, with completed items' ids prefetched."""
    qs = program.logs.prefetch_related("completed_items")
    return qs.filter(date__gte=since) if since else qs


def practice_log_on(*, program: Program, day: date) -> PracticeLog | None:
    """The day's log, if the client has logged it (with its ticked items' exercises)."""
    return program.logs.filter(date=day).prefetch_related("completed_items__exercise").first()


def programs_without_recent_practice(*, since: date) -> QuerySet[Program]:
    """Active programs whose client has logged nothing since `since` (for practice nudges)."""
    return (
        Program.objects.filter(status=Program.Status.ACTIVE)
        .select_related("client__user", "specialist__user")
        .annotate(last_log=Max("logs__date"))
        .filter(Q(last_log__lt=since) | Q(last_log__isnull=True))
    )
