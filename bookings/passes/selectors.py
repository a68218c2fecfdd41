"""Reads: a client's balance, history and memberships; which passes they may buy; the
studio's outstanding credits. Constant query counts (no per-row look-ups)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Booking
from .ledger import buckets
from .models import CreditEntry, Pass, Purchase


def _live(now: datetime) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def credits_balance(*, client_id: int, now: datetime | None = None) -> int:
    """The credits a client holds now: the sum over their unexpired buckets (never < 0)."""
    now = now or timezone.now()
    return sum(b.remaining for b in buckets(client_id).filter(_live(now)) if b.remaining > 0)


@dataclass
class Expiry:
    credits: int
    expires_at: datetime | None
    pass_name: str


def credits_expiries(*, client_id: int, now: datetime | None = None) -> list[Expiry]:
    """What is left in each live bucket and when it expires, the first to expire first."""
    now = now or timezone.now()
    live = (
        buckets(client_id)
        .filter(_live(now), remaining__gt=0)
        .select_related("purchase__pass_type")
        .order_by("expires_at", "pk")
    )
    return [
        Expiry(b.remaining, b.expires_at, b.purchase.pass_type.name if b.purchase else "Studio")
        for b in live
    ]


def credit_entries(*, client_id: int) -> QuerySet[CreditEntry]:
    """The client's ledger, newest first, with what each entry names."""
    return (
        CreditEntry.objects.filter(client_id=client_id)
        .select_related("booking__service", "purchase__pass_type", "by")
        .order_by("-created", "-pk")
    )


def memberships(*, client_id: int) -> QuerySet[Purchase]:
    """The client's memberships that are not over (active, or paused by a failed renewal)."""
    return Purchase.objects.filter(
        client_id=client_id,
        pass_type__kind=Pass.Kind.MEMBERSHIP,
        status__in=[Purchase.Status.ACTIVE, Purchase.Status.PAST_DUE],
    ).select_related("pass_type")


def client_is_new(*, client_id: int) -> bool:
    """No earlier purchase and no booking that went ahead: who may buy an intro offer."""
    bought = (
        Purchase.objects.filter(client_id=client_id)
        .exclude(status__in=[Purchase.Status.PENDING, Purchase.Status.CANCELLED])
        .exists()
    )
    booked = (
        Booking.objects.filter(client_id=client_id)
        .exclude(status=Booking.Status.CANCELLED)
        .exists()
    )
    return not bought and not booked


def passes_for_sale(*, client_id: int | None = None) -> list[Pass]:
    """Active passes; intro offers only for a client who may still take one (a visitor who is
    not logged in sees them all)."""
    found = list(Pass.objects.filter(is_active=True).prefetch_related("services", "class_types"))
    if client_id is None or client_is_new(client_id=client_id):
        return found
    return [p for p in found if not p.intro_offer]


def credits_outstanding(*, now: datetime | None = None) -> dict:
    """The studio's liability: unused, unexpired credits across clients, and their value at
    the price paid per credit (membership and hand-added credits count at 0)."""
    now = now or timezone.now()
    live = buckets().filter(_live(now), remaining__gt=0).select_related("purchase__pass_type")
    credits = value = 0
    for bucket in live:
        credits += bucket.remaining
        purchase = bucket.purchase
        if purchase and purchase.pass_type.kind == Pass.Kind.PACK and purchase.pass_type.credits:
            value += bucket.remaining * purchase.amount // purchase.pass_type.credits
    return {"credits": credits, "value": value}


def pass_revenue(*, start: datetime, end: datetime) -> dict:
    """Money taken for passes in [start, end): paid purchases less refunds."""
    paid = Purchase.objects.filter(paid_at__gte=start, paid_at__lt=end)
    gross = sum(paid.values_list("amount", flat=True))
    refunded = sum(paid.values_list("amount_refunded", flat=True))
    return {"gross": gross, "refunded": refunded, "net": gross - refunded}
