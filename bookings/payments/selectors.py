"""Reads for the owner's payment panels (holds, refunds): a fixed number of queries."""

from collections import defaultdict

from django.db.models import Q

from bookings.models import Booking, Payment


def payments_holds_outstanding(*, limit: int = 50) -> list[Booking]:
    """Held bookings waiting for payment, soonest expiry first (1 query)."""
    return list(
        Booking.objects.filter(status=Booking.Status.HELD)
        .select_related("service", "specialist__user", "client__user")
        .order_by("hold_expires_at", "pk")[:limit]
    )


def payments_refunds_recent(*, limit: int = 20) -> list[Payment]:
    """Paid payments that were refunded or whose booking was cancelled, newest first (2 queries)."""
    return list(
        Payment.objects.filter(
            Q(amount_refunded__gt=0)
            | Q(booking__status=Booking.Status.CANCELLED, paid_at__isnull=False)
        )
        .select_related("booking__service", "booking__client__user")
        .prefetch_related("refunds")
        .order_by("-updated", "-pk")[:limit]
    )


def refund_totals(payments: list[Payment]) -> dict[str, dict]:
    """Refunded and kept per currency for rows from payments_refunds_recent."""
    totals: dict[str, dict] = defaultdict(lambda: {"refunded": 0, "kept": 0})
    for p in payments:
        totals[p.currency]["refunded"] += p.amount_refunded
        totals[p.currency]["kept"] += p.amount - p.amount_refunded
    return dict(totals)
