"""Demo programs for seed_demo: the catalog, two templates, and an active program with a few
weeks of practice logs for client@example.com (by sydney@example.com). Safe to run again."""

from datetime import timedelta
from typing import Any

from django.db import transaction

from accounts.demo import seed_conditions
from accounts.models import Condition, User

from . import demo_catalog, practice, services
from .models import Equipment, Exercise, Program, ProgramTemplate, Region, TemplateItem

TEMPLATES: list[dict[str, Any]] = [
    {
        "slug": "feet-to-pelvic-floor-basics",
        "title": "Feet to pelvic floor basics",
        "goal": "Restore the connection from the soles of the feet, through the calves and inner "
        "thighs, to the pelvic floor.",
        "weekly_frequency": 3,
        "items": [
            ("toe-spreading", {}),
            ("tennis-ball-foot-massage", {}),
            ("calf-stretch", {}),
            ("legs-up-the-wall-inner-thigh-stretch", {}),
            ("rib-cage-breathing", {}),
        ],
    },
    {
        "slug": "knee-friendly-hips-and-hamstrings",
        "title": "Knee-friendly hips and hamstrings",
        "goal": "Lengthen the hamstrings and the back of the hips without loading the knees.",
        "weekly_frequency": 4,
        "items": [
            ("calf-stretch", {"hold_seconds": 45}),
            ("seated-hip-stretch", {}),
            ("supine-hamstring-stretch-with-strap", {}),
            ("side-lying-clam", {"reps": 8}),
            ("kneecap-release", {}),
        ],
    },
]

# The demo client's program: the first template, customised.
PROGRAM_ITEMS: list[tuple[str, dict[str, Any]]] = [
    ("calf-stretch", {"cue": "Start with the towel roll; move to the half dome in week 3."}),
    ("tennis-ball-foot-massage", {"days": [0, 2, 4]}),
    ("seated-hip-stretch", {}),
    ("legs-up-the-wall-inner-thigh-stretch", {"hold_seconds": 180}),
    ("supine-hamstring-stretch-with-strap", {"cue": "Keep the bent knee bent; no need to lock."}),
]
DEMO_CONDITIONS = ["knee-bursitis", "postpartum-under-12-months"]
# (days ago, pain, difficulty, share of the day's exercises done, comment)
LOGS = [
    (20, 6, 6, 1 / 2, "Inner thighs very tight; could barely open the legs."),
    (18, 6, 5, 1, ""),
    (15, 5, 5, 1, "Calf stretch easier on the towel."),
    (13, 5, 4, 1 / 2, "Busy day, did half."),
    (11, 4, 4, 1, ""),
    (8, 4, 4, 1, "Knees felt better walking."),
    (6, 3, 3, 1, ""),
    (4, 3, 3, 2 / 3, ""),
    (1, 2, 3, 1, "Legs up the wall is relaxing now."),
]


def _name(slug: str) -> str:
    return slug.replace("-", " ").capitalize()


@transaction.atomic
def seed_catalog() -> dict[str, Exercise]:
    """Build the exercise catalog from demo_catalog (update in place; links set after)."""
    seed_conditions(demo_catalog.CONDITIONS)
    conditions = {c.slug: c for c in Condition.objects.all()}
    regions = {
        slug: Region.objects.update_or_create(slug=slug, defaults={"name": _name(slug)})[0]
        for slug in demo_catalog.REGIONS
    }
    equipment = {
        slug: Equipment.objects.update_or_create(slug=slug, defaults={"name": _name(slug)})[0]
        for slug in demo_catalog.EQUIPMENT
    }
    plain = ["name", "summary", "instructions", "cues", "common_mistakes", "feel_it", "position"]
    plain += ["difficulty", "sets", "reps", "hold_seconds", "breaths", "per_side", "media_url"]
    exercises = {
        row["slug"]: Exercise.objects.update_or_create(
            slug=row["slug"], defaults={k: row[k] for k in plain}
        )[0]
        for row in demo_catalog.EXERCISES
    }
    # Links in bulk, one table at a time (regressions are the mirror of progressions).
    links: list[tuple[str, str, dict[str, Any]]] = [
        ("regions", "region", regions),
        ("equipment", "equipment", equipment),
        ("contraindications", "condition", conditions),
        ("progressions", "to_exercise", exercises),
    ]
    for field, target, known in links:
        through = getattr(Exercise, field).through
        source = "from_exercise" if field == "progressions" else "exercise"
        through.objects.filter(**{f"{source}__in": exercises.values()}).delete()
        through.objects.bulk_create(
            through(**{source: exercises[row["slug"]], target: known[slug]})
            for row in demo_catalog.EXERCISES
            for slug in row[field]
        )
    return exercises


def seed_templates(exercises: dict[str, Exercise], by: User) -> None:
    for spec in TEMPLATES:
        template, created = ProgramTemplate.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"],
                "goal": spec["goal"],
                "weekly_frequency": spec["weekly_frequency"],
                "created_by": by,
            },
        )
        if not created:
            continue
        for position, (slug, overrides) in enumerate(spec["items"]):
            exercise = exercises[slug]
            TemplateItem.objects.create(
                template=template,
                exercise=exercise,
                position=position,
                **{**exercise.dosage(), **overrides},
            )


def seed_program(exercises: dict[str, Exercise], sydney: User, client_user: User) -> None:
    client = client_user.client
    if Program.objects.filter(client=client).exists():
        return
    if not client.conditions.exists():  # Hannah, from the studio's blog comments
        client.conditions.add(*Condition.objects.filter(slug__in=DEMO_CONDITIONS))
    today = practice.client_today(client)
    program = services.program_create(
        client=client,
        by=sydney,
        title="Feet to pelvic floor: phase 1",
        goal="Less knee pain on walks; release the inner thighs and calves.",
        template=ProgramTemplate.objects.get(slug="feet-to-pelvic-floor-basics"),
        items=[{"exercise": exercises[slug], **extra} for slug, extra in PROGRAM_ITEMS],
        start_date=today - timedelta(days=21),
        weekly_frequency=3,
        status=Program.Status.DRAFT,
    )
    services.program_publish(program=program, by=sydney, reason="First phase, from the template.")
    items = list(program.items.all())
    for days_ago, pain, difficulty, share, comment in LOGS:
        day = today - timedelta(days=days_ago)
        planned = practice.items_for_day(program, day) or items
        done = planned[: max(1, round(len(planned) * share))]
        practice.practice_log_record(
            program=program,
            by=client_user,
            date=day,
            pain=pain,
            difficulty=difficulty,
            completed_items=[item.pk for item in done],
            comment=comment,
        )


def seed(users: dict[str, User]) -> None:
    """seed_demo's programs part: catalog, templates, the demo client's program."""
    exercises = seed_catalog()
    seed_templates(exercises, users["sydney@example.com"])
    seed_program(exercises, users["sydney@example.com"], users["client@example.com"])
