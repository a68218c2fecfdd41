"""Every movement of credits: grant, consume, restore, expire, adjust (see models.CreditEntry).

Each write locks the client's row first and re-reads the buckets inside the lock, so two
bookings at once never spend one credit twice (pretix's lock-and-re-check). On PostgreSQL the
lock is a row lock on the ClientProfile (FOR NO KEY UPDATE: it queues ledger writers but not
rows that merely point at the client); on SQLite the IMMEDIATE transaction serialises every
writer already. The constraints on CreditEntry catch what a write that skipped the lock would
still get wrong (a second consume for one booking, a second grant for one payment).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import ClientProfile, User
from studio.kernel.errors import Conflict, Invalid

from ..models import Booking, BookingEvent
from .models import CreditEntry, Pass, Purchase

Kind = CreditEntry.Kind
BUCKET_KINDS = (Kind.GRANT, Kind.ADJUST)


class NoCredits(Conflict):
    code = "no_credits"


def lock_client(client_id: int) -> None:
    """Queue this transaction behind other ledger writes for the client (module docstring)."""
    list(
        ClientProfile.objects.select_for_update(no_key=True)
        .filter(pk=client_id)
        .values_list("pk", flat=True)
    )


def buckets(client_id: int | None = None) -> QuerySet[Any]:
    """Buckets (of one client, or all), each annotated with `remaining`: amount plus moves."""
    found = CreditEntry.objects.filter(bucket__isnull=True, amount__gt=0, kind__in=BUCKET_KINDS)
    if client_id is not None:
        found = found.filter(client_id=client_id)
    return found.annotate(remaining=F("amount") + Coalesce(Sum("moves__amount"), Value(0)))


def _covering_passes(booking: Booking) -> QuerySet[Pass]:
    """The passes that pay for this booking: by its service, or for a class place by its class
    type (whose hidden service the booking names)."""
    return Pass.objects.filter(
        Q(services=booking.service_id) | Q(class_types__service=booking.service_id)
    )


def _usable(now: datetime, booking: Booking) -> Q:
    """Buckets that may pay for the booking: unexpired at its start, their purchase in good
    standing (a membership whose renewal failed pauses), and covering its service. A bucket
    staff added by hand has no purchase and covers everything."""
    from_purchase = Q(
        purchase__status__in=Purchase.USABLE,
        purchase__pass_type__in=_covering_passes(booking),
    )
    return (Q(expires_at__isnull=True) | Q(expires_at__gt=max(now, booking.start))) & (
        Q(purchase__isnull=True) | from_purchase
    )


def _unlimited_membership(booking: Booking, now: datetime) -> Purchase | None:
    return (
        Purchase.objects.filter(
            client_id=booking.client_id,
            status__in=[Purchase.Status.ACTIVE, Purchase.Status.CANCELLED],
            pass_type__unlimited=True,
            pass_type__in=_covering_passes(booking),
            current_period_end__gt=max(now, booking.start),
        )
        .order_by("current_period_end", "pk")
        .first()
    )


def _insert(**fields) -> CreditEntry:
    """Insert one ledger row in a savepoint, so a constraint's refusal leaves the caller's
    transaction usable (the caller then reads what the earlier writer stored)."""
    with transaction.atomic():
        return CreditEntry.objects.create(**fields)


@transaction.atomic
def credit_grant(
    *,
    client_id: int,
    amount: int,
    expires_at: datetime | None,
    purchase: Purchase | None,
    source: str,
    reason: str,
    by: User | None = None,
) -> tuple[CreditEntry, bool]:
    """Grant credits once per `source` (a Stripe payment or invoice); (entry, created)."""
    lock_client(client_id)
    existing = CreditEntry.objects.filter(kind=Kind.GRANT, source=source).first()
    if existing is not None:
        return existing, False
    try:
        entry = _insert(
            client_id=client_id,
            kind=Kind.GRANT,
            amount=amount,
            expires_at=expires_at,
            purchase=purchase,
            source=source,
            reason=reason,
            by=by,
        )
    except IntegrityError:  # one_credit_grant_per_source: granted meanwhile
        return CreditEntry.objects.get(kind=Kind.GRANT, source=source), False
    return entry, True


@transaction.atomic
def credit_consume(
    *, booking: Booking, by: User | None, now: datetime | None = None, cost: int = 1
) -> CreditEntry:
    """Pay for a booking with `cost` credits from the eligible bucket expiring first (one
    bucket: one consume row per booking), or book it on an unlimited membership (a consume of
    0). Repeat calls return the first consume. Raises NoCredits (409)."""
    now = now or timezone.now()
    lock_client(booking.client_id)
    existing = CreditEntry.objects.filter(kind=Kind.CONSUME, booking=booking).first()
    if existing is not None:
        return existing
    unlimited = _unlimited_membership(booking, now)
    if unlimited is not None:
        return _insert(
            client_id=booking.client_id,
            kind=Kind.CONSUME,
            amount=0,
            booking=booking,
            purchase=unlimited,
            by=by,
            reason="Unlimited membership",
        )
    bucket = (
        buckets(booking.client_id)
        .filter(_usable(now, booking), remaining__gte=cost)
        .order_by(F("expires_at").asc(nulls_last=True), "pk")
        .first()
    )
    if bucket is None:
        raise NoCredits("You have no credits that pay for this booking.")
    return _insert(
        client_id=booking.client_id,
        kind=Kind.CONSUME,
        amount=-cost,
        bucket=bucket,
        booking=booking,
        purchase=bucket.purchase,
        expires_at=bucket.expires_at,
        by=by,
        reason=f"Booked {booking.service.name}",
    )


@transaction.atomic
def credit_restore(*, booking: Booking, by: User | None, reason: str) -> CreditEntry | None:
    """Give a cancelled booking's credit back to the bucket it came from, with that bucket's
    original expiry; None if the booking used none or got it back already."""
    lock_client(booking.client_id)
    consume = CreditEntry.objects.filter(kind=Kind.CONSUME, booking=booking).first()
    if consume is None or CreditEntry.objects.filter(kind=Kind.RESTORE, booking=booking).exists():
        return None
    return _insert(
        client_id=booking.client_id,
        kind=Kind.RESTORE,
        amount=-consume.amount,
        bucket=consume.bucket,
        booking=booking,
        purchase=consume.purchase,
        expires_at=consume.expires_at,
        by=by,
        reason=reason,
    )


def credits_on_cancel(*, booking: Booking, by: User | None) -> None:
    """Inside booking_cancel's transaction: restore the credit of a cancel made in time, keep
    (forfeit) it on a late cancel. The booking's `late_cancellation` is the studio's policy."""
    if booking.payment_method != Booking.PaymentMethod.CREDITS:
        return
    if booking.late_cancellation:
        BookingEvent.objects.create(booking=booking, kind="credit_forfeited", by=by)
        return
    credit_restore(booking=booking, by=by, reason="Cancelled in time")


@transaction.atomic
def credits_adjust(
    *,
    client_id: int,
    amount: int,
    by: User,
    reason: str,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> list[CreditEntry]:
    """Staff add credits (a new bucket) or take some away (from the buckets expiring first),
    always with a reason. Raises Invalid (no reason, zero, taking more than the balance)."""
    now = now or timezone.now()
    if not reason.strip():
        raise Invalid("Say why the credits change.", field="reason")
    if amount == 0:
        raise Invalid("Give a number of credits other than 0.", field="amount")
    lock_client(client_id)
    if amount > 0:
        entry = _insert(
            client_id=client_id,
            kind=Kind.ADJUST,
            amount=amount,
            expires_at=expires_at,
            by=by,
            reason=reason,
        )
        return [entry]
    return _take(client_id=client_id, wanted=-amount, by=by, reason=reason, now=now)


def _take(*, client_id: int, wanted: int, by, reason: str, now: datetime, purchase=None):
    """Take `wanted` credits from live buckets, the first to expire first (lock held)."""
    live = buckets(client_id).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), remaining__gt=0
    )
    if purchase is not None:
        live = live.filter(purchase=purchase)
    else:
        available = sum(b.remaining for b in live)
        if available < wanted:
            raise Invalid(f"The client has {available} credits to take.", field="amount")
    taken = []
    for bucket in live.order_by(F("expires_at").asc(nulls_last=True), "pk"):
        if wanted <= 0:
            break
        amount = min(wanted, bucket.remaining)
        wanted -= amount
        taken.append(
            _insert(
                client_id=client_id,
                kind=Kind.ADJUST,
                amount=-amount,
                bucket=bucket,
                purchase=bucket.purchase,
                expires_at=bucket.expires_at,
                by=by,
                reason=reason,
            )
        )
    return taken


@transaction.atomic
def credits_revoke_unused(*, purchase: Purchase, reason: str) -> int:
    """Take back a refunded purchase's unused credits; returns how many (already used stay)."""
    lock_client(purchase.client_id)
    taken = _take(
        client_id=purchase.client_id,
        wanted=10**9,
        by=None,
        reason=reason,
        now=timezone.now(),
        purchase=purchase,
    )
    return -sum(entry.amount for entry in taken)


def credits_expire(*, now: datetime | None = None) -> int:
    """The expiry job: write off what is left in each bucket past its expiry; returns how many
    credits expired. One expiry per bucket (a constraint), so two runs never double it."""
    now = now or timezone.now()
    expired = 0
    due = buckets().filter(expires_at__lte=now, remaining__gt=0)
    for bucket_id, client_id in due.values_list("pk", "client_id"):
        expired += _bucket_expire(bucket_id=bucket_id, client_id=client_id)
    return expired


@transaction.atomic
def _bucket_expire(*, bucket_id: int, client_id: int) -> int:
    lock_client(client_id)
    bucket = buckets(client_id).get(pk=bucket_id)
    if bucket.remaining <= 0 or bucket.moves.filter(kind=Kind.EXPIRE).exists():
        return 0
    try:
        _insert(
            client_id=client_id,
            kind=Kind.EXPIRE,
            amount=-bucket.remaining,
            bucket=bucket,
            purchase=bucket.purchase,
            expires_at=bucket.expires_at,
            reason="Expired",
        )
    except IntegrityError:  # another run expired it meanwhile
        return 0
    return bucket.remaining
