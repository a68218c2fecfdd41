"""Reads for the owner's money reports: a fixed number of queries whatever the data size."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Case, F, IntegerField, Q, Sum, When
from django.db.models.functions import TruncWeek
from django.utils import timezone

from bookings.models import Booking, Payment, Refund

DUE_AT_STUDIO = Sum(
    Case(
        When(payment_method=Booking.PaymentMethod.STRIPE, then=F("price") - F("amount_due")),
        default=F("price"),
        output_field=IntegerField(),
    )
)
ATTENDED = (Booking.Status.CONFIRMED, Booking.Status.COMPLETED)


def report_window(*, tz: ZoneInfo, weeks: int = 12, now: datetime | None = None):
    """Monday 00:00 (in `tz`) of the week `weeks - 1` weeks back, and the end of this week."""
    today = timezone.localtime(now or timezone.now(), tz).date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=weeks - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=tz)
    end = datetime(monday.year, monday.month, monday.day, tzinfo=tz) + timedelta(weeks=1)
    return start, end


def _week(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def payments_revenue_by_week(*, tz: ZoneInfo, weeks: int = 12, now=None) -> list[dict]:
    """Per week and currency: paid by card, refunded, net, and due at the studio (3 queries)."""
    start, end = report_window(tz=tz, weeks=weeks, now=now)
    rows: dict[tuple, dict] = {}

    def row(week, currency):
        key = (_week(week), currency)
        return rows.setdefault(
            key, {"week": key[0], "currency": currency, "paid": 0, "refunded": 0, "at_studio": 0}
        )

    paid = (
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .annotate(week=TruncWeek("paid_at", tzinfo=tz))
        .values("week", "currency")
        .annotate(total=Sum("amount"))
    )
    for p in paid:
        row(p["week"], p["currency"])["paid"] += p["total"]
    refunded = (
        Refund.objects.filter(created__gte=start, created__lt=end)
        .annotate(week=TruncWeek("created", tzinfo=tz))
        .values("week", "payment__currency")
        .annotate(total=Sum("amount"))
    )
    for f in refunded:
        row(f["week"], f["payment__currency"])["refunded"] += f["total"]
    studio = (
        Booking.objects.filter(status__in=ATTENDED, start__gte=start, start__lt=end)
        .annotate(week=TruncWeek("start", tzinfo=tz))
        .values("week", "currency")
        .annotate(total=DUE_AT_STUDIO)
    )
    for b in studio:
        row(b["week"], b["currency"])["at_studio"] += b["total"] or 0
    for week in rows.values():
        week["net"] = week["paid"] - week["refunded"]
    return sorted(rows.values(), key=lambda w: (w["week"], w["currency"]))


def payments_revenue_by_specialist(*, tz: ZoneInfo, weeks: int = 12, now=None) -> list[dict]:
    """Per specialist and currency over the window: paid, refunded, net, at studio (3 queries)."""
    start, end = report_window(tz=tz, weeks=weeks, now=now)
    rows: dict[tuple, dict] = {}
    who = (
        "booking__specialist_id",
        "booking__specialist__user__first_name",
        "booking__specialist__user__last_name",
        "booking__specialist__user__email",
    )

    def row(r, prefix, currency):
        name = (
            " ".join(
                x
                for x in (
                    r[f"{prefix}specialist__user__first_name"],
                    r[f"{prefix}specialist__user__last_name"],
                )
                if x
            )
            or r[f"{prefix}specialist__user__email"]
        )
        key = (r[f"{prefix}specialist_id"], currency)
        return rows.setdefault(
            key, {"name": name, "currency": currency, "paid": 0, "refunded": 0, "at_studio": 0}
        )

    paid = (
        Payment.objects.filter(paid_at__gte=start, paid_at__lt=end)
        .values(*who, "currency")
        .annotate(total=Sum("amount"))
    )
    for r in paid:
        row(r, "booking__", r["currency"])["paid"] += r["total"]
    refunded = (
        Refund.objects.filter(created__gte=start, created__lt=end)
        .values(*(f"payment__{w}" for w in who), "payment__currency")
        .annotate(total=Sum("amount"))
    )
    for r in refunded:
        row(r, "payment__booking__", r["payment__currency"])["refunded"] += r["total"]
    studio = (
        Booking.objects.filter(status__in=ATTENDED, start__gte=start, start__lt=end)
        .values(*(w.removeprefix("booking__") for w in who), "currency")
        .annotate(total=DUE_AT_STUDIO)
    )
    for r in studio:
        row(r, "", r["currency"])["at_studio"] += r["total"] or 0
    for r in rows.values():
        r["net"] = r["paid"] - r["refunded"]
    return sorted(rows.values(), key=lambda r: (-r["net"] - r["at_studio"], r["name"]))


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
