"""The programs part of a client's export and erasure (receivers of accounts.signals).

Export: the client's programs with their items and practice logs. Erase: the client's own words
(practice log comments) are blanked; the programs and logs stay for the specialist's records.
"""

from accounts.models import ClientProfile

from .models import PracticeLog, Program


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def programs_export(*, client: ClientProfile) -> dict:
    """The client's programs, items and practice logs as JSON-ready data (constant queries)."""
    programs = (
        Program.objects.filter(client=client)
        .select_related("specialist__user")
        .prefetch_related("items__exercise", "logs__completed_items")
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
                        "cue": i.cue,
                        "days": i.days,
                    }
                    for i in p.items.all()
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


def programs_erase(*, client: ClientProfile) -> int:
    """Blank the client's practice log comments; returns how many logs changed."""
    return PracticeLog.objects.filter(program__client=client).exclude(comment="").update(comment="")


def on_client_export(sender, client, **kwargs) -> dict:
    return programs_export(client=client)


def on_client_erase(sender, client, **kwargs) -> None:
    programs_erase(client=client)
