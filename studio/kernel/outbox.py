"""The outbox: side effects a committed change owes (e-mails, refunds), kept in the database.

A service that owes a side effect calls `outbox_add()` (or `outbox_add_many()`) inside its own
transaction, so the row commits with the change or not at all. After the commit one delivery job
is queued to the worker (`outbox_deliver_task`, one job for the rows of one call). If the broker
is down, or the task is lost (a worker killed hard, the
embedded filesystem broker, which keeps no unacknowledged copy), the periodic sweeper
(`outbox_sweep_task`, Celery beat every OUTBOX_SWEEP_EVERY_SECONDS, in `make run` and in
production) delivers it. A failed delivery is retried with backoff; after OUTBOX_MAX_ATTEMPTS
the row is `failed` and stays, shown to the owner (reports dashboard, admin) who can retry it.

Delivery claims a row with one conditional UPDATE (healthchecks' way), so two workers or two
sweeps never deliver the same row at once. A worker that dies mid-delivery leaves the row
`sending` until its lease ends; it is then delivered again, so handlers are idempotent where
they can be (a refund carries its Stripe idempotency key; e-mails re-check that their news
still holds). Apps register a handler per kind in their AppConfig.ready(); this module imports
no app. A DomainError from a handler is a refusal for good (e.g. Stripe refused the refund):
the row fails at once, without retries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import KombuError

from studio.kernel.errors import DomainError
from studio.kernel.jobs import enqueue
from studio.models import OutboxMessage

log = logging.getLogger(__name__)

Status = OutboxMessage.Status
# Longer than any handler may take (SMTP and Stripe calls time out in seconds).
LEASE = timedelta(minutes=10)
RETRY_MAX = timedelta(hours=1)
SWEEP_BATCH = 100
KEEP_DONE = timedelta(days=30)
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


@dataclass(frozen=True)
class Handler:
    run: Callable[..., object]
    label: str


HANDLERS: dict[str, Handler] = {}


def register(kind: str, run: Callable[..., object], *, label: str) -> None:
    """Deliver rows of `kind` by calling `run(**payload)`; `label` names it for the owner."""
    HANDLERS[kind] = Handler(run, label)


def label(kind: str) -> str:
    handler = HANDLERS.get(kind)
    return handler.label if handler else kind


# --- writing ----------------------------------------------------------------------------------


def outbox_add(*, kind: str, payload: dict, key: str = "", about: str = "") -> OutboxMessage:
    """Owe a side effect, in the caller's transaction; it is delivered after the commit.

    A `key` makes the call idempotent: the row already written with it is returned."""
    if not key:
        return outbox_add_many(kind=kind, payloads=[payload], about=about)[0]
    _check_kind(kind)
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():  # a savepoint: a concurrent caller may hold the key
            message = OutboxMessage.objects.create(
                kind=kind,
                payload=payload,
                key=key,
                about=about[:80],
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return OutboxMessage.objects.get(key=key)  # written by a concurrent caller
    transaction.on_commit(partial(_queue, message.pk))
    return message


def outbox_add_many(*, kind: str, payloads: list[dict], about: str = "") -> list[OutboxMessage]:
    """Owe several side effects of one kind, without keys, in one INSERT (a booking's e-mails
    to the client and the specialist); each is delivered after the commit."""
    _check_kind(kind)
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(kind=kind, payload=payload, about=about[:80], next_attempt_at=now)
        for payload in payloads
    )
    transaction.on_commit(partial(_queue, *(message.pk for message in messages)))
    return messages


def _check_kind(kind: str) -> None:
    if kind not in HANDLERS:
        raise ValueError(f"no outbox handler for {kind!r}")


def _queue(*message_ids: int) -> None:
    """Hand committed rows to the worker, in one job (each publish costs the request ~1 ms of
    CPU); if the broker is down, the sweeper delivers them."""
    try:
        # One quick retry: a request is not held up by a dead broker; the sweeper retries.
        enqueue("studio.tasks.outbox_deliver_task", *message_ids, retry_policy=PUBLISH_RETRY)
    except (KombuError, OSError) as exc:
        log.warning(
            "outbox %s: broker unreachable (%s); the sweeper will deliver it", message_ids, exc
        )


# --- delivering -------------------------------------------------------------------------------


def _due(now: datetime) -> Q:
    waiting = Q(status__in=[Status.PENDING, Status.RETRYING], next_attempt_at__lte=now)
    abandoned = Q(status=Status.SENDING, locked_until__lte=now)  # its worker died
    return waiting | abandoned


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: OUTBOX_RETRY_SECONDS, doubling, at most an hour."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** min(max(attempts - 1, 0), 16)
    return min(timedelta(seconds=seconds), RETRY_MAX)


def _settle(message: OutboxMessage, **fields) -> None:
    """Record the outcome, unless the lease ran out and another delivery took the row."""
    OutboxMessage.objects.filter(
        pk=message.pk, status=Status.SENDING, attempts=message.attempts
    ).update(locked_until=None, updated=timezone.now(), **fields)


def _failed(message: OutboxMessage, exc: Exception, now: datetime, *, final: bool) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if final or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        log.error("outbox %s (%s) failed for good: %s", message.pk, message.kind, error)
        _settle(message, status=Status.FAILED, last_error=error)
        return
    log.warning(
        "outbox %s (%s) attempt %s failed: %s", message.pk, message.kind, message.attempts, error
    )
    _settle(
        message,
        status=Status.RETRYING,
        last_error=error,
        next_attempt_at=now + retry_delay(message.attempts),
    )


def outbox_deliver(message_id: int, *, now: datetime | None = None) -> bool:
    """Deliver one row if it is due and nobody holds it; True when it was delivered now.

    Never raises for a handler's error: the row records it and waits for its retry."""
    now = now or timezone.now()
    claimed = (
        OutboxMessage.objects.filter(_due(now), pk=message_id).update(
            status=Status.SENDING,
            attempts=F("attempts") + 1,
            locked_until=now + LEASE,
            updated=now,
        )
        == 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        HANDLERS[message.kind].run(**message.payload)
    except DomainError as exc:
        _failed(message, exc, now, final=True)
        return False
    except Exception as exc:  # any outage or bug: keep the row and try again later
        _failed(message, exc, now, final=False)
        return False
    _settle(message, status=Status.DONE, done_at=timezone.now(), last_error="")
    return True


def outbox_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> dict:
    """Deliver rows that are due (never queued, lost, abandoned or waiting to retry), oldest
    first, and forget rows delivered more than KEEP_DONE ago."""
    now = now or timezone.now()
    due = list(
        OutboxMessage.objects.filter(_due(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    delivered = sum(outbox_deliver(pk, now=now) for pk in due)
    OutboxMessage.objects.filter(status=Status.DONE, done_at__lt=now - KEEP_DONE).delete()
    return {"due": len(due), "delivered": delivered}


def outbox_stuck(*, limit: int = 50) -> list[OutboxMessage]:
    """Rows that did not go out at the first try and are not delivered yet: failed first."""
    rows = OutboxMessage.objects.filter(status__in=[Status.FAILED, Status.RETRYING])
    return list(rows.order_by("status", "-updated", "-pk")[:limit])


def outbox_retry(*, message_ids: list[int]) -> int:
    """Staff: deliver failed (or waiting) rows again now; returns how many were re-queued."""
    now = timezone.now()
    with transaction.atomic():
        count = OutboxMessage.objects.filter(
            pk__in=message_ids, status__in=[Status.FAILED, Status.RETRYING, Status.PENDING]
        ).update(status=Status.RETRYING, next_attempt_at=now, updated=now)
        for pk in message_ids:
            transaction.on_commit(partial(_queue, pk))
    return count
