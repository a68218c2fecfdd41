"""Owner report panels about money: revenue by week and by specialist, holds, refunds."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Studio
from bookings.payments.selectors import (
    payments_holds_outstanding,
    payments_refunds_recent,
    payments_revenue_by_specialist,
    payments_revenue_by_week,
    refund_totals,
    report_window,
)
from bookings.templatetags.payments_money import minor_per_major
from studio.kernel.panels import panel

WEEKS = 12


def _chart(weeks: list[dict], currency: str, *, tz, now) -> dict:
    """Chart.js data for the studio's currency in major units, one bar per week (empty too)."""
    per = minor_per_major(currency)
    start, _ = report_window(tz=tz, weeks=WEEKS, now=now)
    mondays = [start.date() + timedelta(weeks=i) for i in range(WEEKS)]
    mine = {w["week"]: w for w in weeks if w["currency"] == currency}
    empty = {"net": 0, "at_studio": 0}
    return {
        "labels": [f"{d.day} {d:%b}" for d in mondays],
        "currency": currency,
        "series": [
            {
                "label": "Paid by card (net)",
                "data": [mine.get(d, empty)["net"] / per for d in mondays],
            },
            {
                "label": "Due at the studio",
                "data": [mine.get(d, empty)["at_studio"] / per for d in mondays],
            },
        ],
    }


CANCEL_REASONS = {"Late cancellation", "Cancelled in time", "Cancelled by the studio"}


def _refund_rows(payments: list) -> list[dict]:
    """What happened to each paid payment, in words an owner reads at a glance."""
    rows = []
    for p in payments:
        booking = p.booking
        if booking.status == "cancelled":
            what = "Late cancellation" if booking.late_cancellation else "Cancelled in time"
        else:
            what = "Refund"
        if p.amount_refunded == 0:
            outcome = "nothing refunded"
        elif p.amount_refunded >= p.amount:
            outcome = "full refund"
        else:
            outcome = "partial refund"
        notes = [r.reason for r in p.refunds.all() if r.reason and r.reason not in CANCEL_REASONS]
        rows.append({"payment": p, "what": what, "outcome": outcome, "notes": notes})
    return rows


def reports(request) -> list:
    if not request.user.is_owner:
        return []
    studio = Studio.get()
    tz = ZoneInfo(studio.timezone)
    now = timezone.now()
    weeks = payments_revenue_by_week(tz=tz, weeks=WEEKS, now=now)
    refunds = payments_refunds_recent()
    return [
        panel(
            request,
            title=f"Revenue by week (last {WEEKS} weeks)",
            template="bookings/payments/panel_revenue_week.html",
            context={
                "weeks": weeks,
                "chart": _chart(weeks, studio.currency, tz=tz, now=now),
                "tz": tz,
            },
            order=60,
            wide=True,
        ),
        panel(
            request,
            title="Revenue by specialist",
            template="bookings/payments/panel_revenue_specialist.html",
            context={
                "rows": payments_revenue_by_specialist(tz=tz, weeks=WEEKS, now=now),
                "weeks": WEEKS,
            },
            order=61,
        ),
        panel(
            request,
            title="Outstanding holds",
            template="bookings/payments/panel_holds.html",
            context={"holds": payments_holds_outstanding(), "now": now, "tz": tz},
            order=62,
        ),
        panel(
            request,
            title="Refunds and cancellations",
            template="bookings/payments/panel_refunds.html",
            context={"rows": _refund_rows(refunds), "totals": refund_totals(refunds), "tz": tz},
            order=63,
            wide=True,
        ),
    ]
