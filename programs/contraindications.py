"""Which exercises are contraindicated for a client: their conditions plus screening red flags.

A red flag names a condition when it is a condition's slug or name, or (as a dict) carries one
under "condition", "slug", "code" or "conditions". Red flags that name no condition cannot be
matched to an exercise; the builder shows them all to the specialist anyway.
"""

from collections.abc import Iterable

from accounts.models import ClientProfile, Condition

from .models import Exercise

_KEYS = ("condition", "slug", "code", "label", "name", "text")


def _red_flag_tokens(red_flags) -> set[str]:
    tokens: set[str] = set()
    for flag in red_flags if isinstance(red_flags, list) else []:
        if isinstance(flag, str):
            tokens.add(flag.strip().lower())
        elif isinstance(flag, dict):
            tokens.update(str(flag[k]).strip().lower() for k in _KEYS if flag.get(k))
            listed = flag.get("conditions")
            if isinstance(listed, list):
                tokens.update(str(v).strip().lower() for v in listed)
    return tokens


def red_flag_labels(client: ClientProfile) -> list[str]:
    """The client's red flags as readable strings, for staff pages."""
    labels = []
    for flag in client.red_flags if isinstance(client.red_flags, list) else []:
        if isinstance(flag, dict):
            flag = next(
                (flag[k] for k in ("label", "text", "name", "question") if flag.get(k)), flag
            )
        labels.append(str(flag))
    return labels


def client_conditions(clients: Iterable[ClientProfile]) -> dict[int, dict[str, Condition]]:
    """Per client id, the conditions (by slug) that contraindicate exercises.

    Uses the prefetched `conditions` and one query for the conditions red flags name.
    """
    clients = list(clients)
    tokens = {c.pk: _red_flag_tokens(c.red_flags) for c in clients}
    wanted = set().union(*tokens.values()) if tokens else set()
    named: list[Condition] = []
    if wanted:
        named = [
            c
            for c in Condition.objects.all()
            if c.slug.lower() in wanted or c.name.lower() in wanted
        ]
    result: dict[int, dict[str, Condition]] = {}
    for client in clients:
        found = {c.slug: c for c in client.conditions.all()}
        for condition in named:
            if (
                condition.slug.lower() in tokens[client.pk]
                or condition.name.lower() in tokens[client.pk]
            ):
                found.setdefault(condition.slug, condition)
        result[client.pk] = found
    return result


def flagged(exercise: Exercise, conditions: dict[str, Condition]) -> list[Condition]:
    """The client's conditions that contraindicate this exercise (prefetched contraindications)."""
    return [c for c in exercise.contraindications.all() if c.slug in conditions]
