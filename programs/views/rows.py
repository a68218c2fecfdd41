"""The builder's item rows: built from stored items, from a catalog pick, or from a posted form.

Each row's inputs are named `<key>-<field>`, and the `row` inputs give the order, so moving a
row in the page reorders the program.
"""

import secrets
from dataclasses import dataclass, field

from accounts.models import Condition

from .. import contraindications
from ..api.serializers import ItemInputSerializer
from ..models import DOSAGE_FIELDS, Exercise, ProgramItem

NUMBERS = ("sets", "reps", "hold_seconds", "breaths")


@dataclass
class Row:
    key: str
    exercise: Exercise
    id: int | None = None
    sets: int | str | None = None
    reps: int | str | None = None
    hold_seconds: int | str | None = None
    breaths: int | str | None = None
    per_side: bool = False
    cue: str = ""
    days: list = field(default_factory=list)
    override_reason: str = ""
    flags: list[Condition] = field(default_factory=list)
    errors: dict = field(default_factory=dict)

    @property
    def held_back(self) -> bool:
        return bool(self.flags) and not self.override_reason.strip()


def new_key() -> str:
    return "n" + secrets.token_hex(4)


def row_from_item(item: ProgramItem, conditions: dict[str, Condition]) -> Row:
    return Row(
        key=f"i{item.pk}",
        exercise=item.exercise,
        id=item.pk,
        **item.dosage(),
        cue=item.cue,
        days=list(item.days),
        override_reason=item.override_reason,
        flags=contraindications.flagged(item.exercise, conditions),
    )


def row_from_exercise(exercise: Exercise, conditions: dict[str, Condition]) -> Row:
    return Row(
        key=new_key(),
        exercise=exercise,
        **exercise.dosage(),
        flags=contraindications.flagged(exercise, conditions),
    )


def rows_from_post(post, conditions: dict[str, Condition]) -> tuple[list[Row], bool]:
    """Rows as posted (to show again) and whether they are all valid."""
    keys = [k for k in post.getlist("row") if k.isalnum()][:60]
    ids = {post.get(f"{k}-exercise", "") for k in keys}
    found = Exercise.objects.filter(pk__in=[i for i in ids if i.isdigit() and len(i) < 19])
    exercises = {e.pk: e for e in found.prefetch_related("contraindications")}
    rows, raw = [], []
    for key in keys:
        exercise = exercises.get(int(post.get(f"{key}-exercise", "0") or 0))
        if exercise is None:
            continue  # a row for an exercise that is gone: drop it
        row = Row(
            key=key,
            exercise=exercise,
            id=int(post[f"{key}-id"]) if post.get(f"{key}-id", "").isdigit() else None,
            per_side=post.get(f"{key}-per_side") == "on",
            cue=post.get(f"{key}-cue", ""),
            days=[int(d) for d in post.getlist(f"{key}-days") if d.isdigit() and len(d) == 1],
            override_reason=post.get(f"{key}-override_reason", ""),
            flags=contraindications.flagged(exercise, conditions),
        )
        for name in NUMBERS:
            setattr(row, name, post.get(f"{key}-{name}", "").strip())
        rows.append(row)
        raw.append(
            {
                **({"id": row.id} if row.id else {}),
                "exercise": exercise.pk,
                **{n: getattr(row, n) or None for n in NUMBERS},
                "per_side": row.per_side,
                "cue": row.cue,
                "days": row.days,
                "override_reason": row.override_reason,
            }
        )
    check = ItemInputSerializer(data=raw, many=True)
    valid = check.is_valid()
    if not valid:
        # DRF gives a list of per-item errors, or a dict keyed by index
        errors_found = check.errors
        by_index = dict(enumerate(errors_found)) if isinstance(errors_found, list) else errors_found
        for index, errors in by_index.items():
            rows[int(index)].errors = {k: " ".join(map(str, v)) for k, v in errors.items()}
    return rows, valid


def items_from_rows(rows: list[Row]) -> list[dict]:
    """Service input from valid rows (empty numbers take the exercise's default)."""
    return [
        {
            **({"id": row.id} if row.id else {}),
            "exercise": row.exercise,
            **{
                f: (int(getattr(row, f)) if getattr(row, f) not in (None, "") else None)
                for f in DOSAGE_FIELDS
                if f != "per_side"
            },
            "per_side": row.per_side,
            "cue": row.cue,
            "days": row.days,
            "override_reason": row.override_reason,
        }
        for row in rows
    ]
