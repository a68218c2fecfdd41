"""The programs part of a client's export and erasure (receivers of accounts.signals).

Export: the client's programs with their items (dosage, cues, flags and override reasons),
versions (reason and snapshot) and practice logs.

Erase (`programs_erase`) scrubs every piece of text a person wrote about the client's health,
and the clues that point at it:
- Program: `goal` is blanked; `title` becomes "Program 1", "Program 2"... (by creation order,
  so the specialist's list still reads), and the link to the template it was copied from is
  cut (a program's title is the template's title by default, so the link would give it back).
- ProgramItem: `cue` and `override_reason` are blanked, `flagged_conditions` (condition names)
  emptied, and `override_by` / `override_at` cleared: "kept despite a contraindication" on a
  named exercise tells which condition the client had.
- ProgramVersion: `reason` becomes "Erased." and `snapshot` is rebuilt from an allow-list:
  dates, weekly frequency and per item its id, exercise, exercise name, dosage and days; title,
  goal, cues, flags and override reasons are replaced as above; `"erased": true` marks it.
  Anything else a snapshot held is dropped; a snapshot of an unknown shape becomes
  `{"erased": true}`.
- PracticeLog: the client's own words (`comment`) are blanked.

Kept, as the studio's record of the care it gave (what it prescribed, when, and how practice
went): the programs, their status, dates, specialist and version numbers; which catalog
exercises at which dosage on which days; each practice log's date, completed exercises, counts,
and the 0-10 pain and 1-10 difficulty numbers. The numbers are health data, but once the person
is anonymised (accounts.privacy) and every word and condition is gone they say only "someone's
practice felt like 3/10 that day", and they are what makes the practice record (and the
specialist's chart of it) mean anything. A studio that must drop them too would blank `pain`
and `difficulty` in the same update as `comment`.

Templates (ProgramTemplate, TemplateItem) are studio material, not client data: never touched.
Every step writes only what differs, so a second run changes nothing and returns zeros.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q

from accounts.models import ClientProfile

from .models import DOSAGE_FIELDS, PracticeLog, Program, ProgramItem, ProgramVersion

ERASED_REASON = "Erased."
SNAPSHOT_KEYS = ("start_date", "weekly_frequency")
SNAPSHOT_ITEM_KEYS = ("id", "exercise", "exercise_name", *DOSAGE_FIELDS, "days")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def programs_export(*, client: ClientProfile) -> dict:
    """The client's programs, items, versions and practice logs as JSON-ready data (constant
    queries)."""
    programs = (
        Program.objects.filter(client=client)
        .select_related("specialist__user")
        .prefetch_related("items__exercise", "logs__completed_items", "versions")
        .order_by("created", "pk")
    )
    return {
        "programs": [
            {
                "id": p.pk,
                "title": p.title,
                "goal": p.goal,
                "status": p.status,
                "specialist": p.specialist.name if p.specialist else None,
                "start_date": _iso(p.start_date),
                "weekly_frequency": p.weekly_frequency,
                "version": p.version,
                "published_at": _iso(p.published_at),
                "created": _iso(p.created),
                "items": [
                    {
                        "id": i.pk,
                        "exercise": i.exercise.name,
                        "position": i.position,
                        **i.dosage(),
                        "cue": i.cue,
                        "days": i.days,
                        "flagged_conditions": i.flagged_conditions,
                        "override_reason": i.override_reason,
                        "override_at": _iso(i.override_at),
                    }
                    for i in p.items.all()
                ],
                "versions": [
                    {
                        "number": v.number,
                        "reason": v.reason,
                        "created": _iso(v.created),
                        "snapshot": v.snapshot,
                    }
                    for v in p.versions.all()
                ],
                "logs": [
                    {
                        "date": _iso(log.date),
                        "pain": log.pain,
                        "difficulty": log.difficulty,
                        "comment": log.comment,
                        "done_count": log.done_count,
                        "planned_count": log.planned_count,
                        "completed_items": [i.pk for i in log.completed_items.all()],
                    }
                    for log in p.logs.all()
                ],
            }
            for p in programs
        ]
    }


def neutral_title(number: int) -> str:
    """The title an erased client's n-th program (by creation) takes."""
    return f"Program {number}"


def scrub_snapshot(snapshot: Any, *, title: str) -> dict:
    """A version snapshot with its health text gone: only allow-listed keys survive."""
    items = snapshot.get("items") if isinstance(snapshot, dict) else None
    if not isinstance(items, list):
        return {"erased": True}
    return {
        "erased": True,
        "title": title,
        "goal": "",
        **{key: snapshot.get(key) for key in SNAPSHOT_KEYS},
        "items": [
            {
                **{k: item[k] for k in SNAPSHOT_ITEM_KEYS if k in item},
                "cue": "",
                "flagged_conditions": [],
                "override_reason": "",
            }
            for item in items
            if isinstance(item, dict)
        ],
    }


@transaction.atomic
def programs_erase(*, client: ClientProfile) -> dict[str, int]:
    """Scrub the health text in the client's programs, items, versions and practice logs
    (see the module docstring); returns how many rows of each changed. Idempotent."""
    programs = list(
        Program.objects.filter(client=client)
        .order_by("created", "pk")
        .only("pk", "title", "goal", "template")
    )
    titles = {p.pk: neutral_title(n) for n, p in enumerate(programs, start=1)}
    changed = [p for p in programs if (p.title, p.goal, p.template_id) != (titles[p.pk], "", None)]
    for program in changed:
        program.title, program.goal, program.template_id = titles[program.pk], "", None
    Program.objects.bulk_update(changed, ["title", "goal", "template"])

    items = (
        ProgramItem.objects.filter(program__client=client)
        .filter(
            ~Q(cue="")
            | ~Q(override_reason="")
            | ~Q(flagged_conditions=[])
            | Q(override_by__isnull=False)
            | Q(override_at__isnull=False)
        )
        .update(
            cue="", override_reason="", flagged_conditions=[], override_by=None, override_at=None
        )
    )

    versions = []
    for version in ProgramVersion.objects.filter(program__client=client).only(
        "pk", "program_id", "reason", "snapshot"
    ):
        scrubbed = scrub_snapshot(version.snapshot, title=titles[version.program_id])
        if (version.reason, version.snapshot) != (ERASED_REASON, scrubbed):
            version.reason, version.snapshot = ERASED_REASON, scrubbed
            versions.append(version)
    ProgramVersion.objects.bulk_update(versions, ["reason", "snapshot"])

    logs = PracticeLog.objects.filter(program__client=client).exclude(comment="").update(comment="")
    return {"programs": len(changed), "items": items, "versions": len(versions), "logs": logs}


def on_client_export(sender, client, **kwargs) -> dict:
    return programs_export(client=client)


def on_client_erase(sender, client, **kwargs) -> None:
    programs_erase(client=client)
