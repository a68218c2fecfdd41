"""Owner report panels about card payments: outstanding holds and refunds (revenue is in the
report panel, bookings/panels/studio_report.py)."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Studio
from bookings.payments.selectors import (
    payments_holds_outstanding,
    payments_refunds_recent,
    refund_totals,
)
from studio.kernel.panels import panel

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
    refunds = payments_refunds_recent()
    return [
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
