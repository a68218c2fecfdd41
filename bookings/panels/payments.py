"""Owner report panels about money: revenue by week and by specialist, holds, refunds."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Studio
from studio.views import panel

from ..payments_selectors import (
    payments_holds_outstanding,
    payments_refunds_recent,
    payments_revenue_by_specialist,
    payments_revenue_by_week,
    refund_totals,
)
from ..templatetags.payments_money import minor_per_major

WEEKS = 12


def _chart(weeks: list[dict], currency: str) -> dict:
    """Chart.js data for the studio's currency, in major units."""
    per = minor_per_major(currency)
    mine = [w for w in weeks if w["currency"] == currency]
    return {
        "labels": [w["week"].strftime("%-d %b") for w in mine],
        "currency": currency,
        "series": [
            {"label": "Paid by card (net)", "data": [w["net"] / per for w in mine]},
            {"label": "Due at the studio", "data": [w["at_studio"] / per for w in mine]},
        ],
    }


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
            context={"weeks": weeks, "chart": _chart(weeks, studio.currency), "tz": tz},
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
            context={"payments": refunds, "totals": refund_totals(refunds), "tz": tz},
            order=63,
            wide=True,
        ),
    ]
