"""The report as CSV for a spreadsheet: the totals, every week, every specialist, every class.

Money columns are in major units (95.00) so a spreadsheet sums them as numbers; the currency is
named in the header.
"""

import csv
import io
from decimal import Decimal

from ..templatetags.payments_money import minor_per_major
from .selectors import Report

MONEY = ("paid_online", "paid_in_studio", "refunded", "net")
CLASS_COLUMNS = (
    "class_type",
    "name",
    "held",
    "cancelled",
    "places_offered",
    "booked",
    "attended",
    "no_shows",
    "fill_rate",
    "waitlist",
)


def report_csv(report: Report) -> str:
    """Four tables one after another, each with its own header row: totals, weeks,
    specialists, classes."""
    per = minor_per_major(report.currency)
    places = max(0, len(str(per)) - 1)

    def major(minor: int) -> str:
        return f"{Decimal(minor) / per:.{places}f}"

    out = io.StringIO()
    w = csv.writer(out)
    cur = report.currency
    w.writerow(
        ["from", "to", "currency", *MONEY, "no_show_rate", "late_cancel_rate"]
        + [
            "new_clients",
            "returning_clients",
        ]
    )
    rev = report.revenue.as_dict()
    w.writerow(
        [report.start, report.end, cur, *(major(rev[k]) for k in MONEY)]
        + [report.no_show_rate, report.late_cancel_rate, report.new_clients]
        + [report.returning_clients]
    )
    w.writerow([])
    w.writerow(["week_starting", "bookings", *(f"{k} ({cur})" for k in MONEY)])
    for week in report.weeks:
        rev = week.revenue.as_dict()
        w.writerow([week.monday, week.bookings, *(major(rev[k]) for k in MONEY)])
    w.writerow([])
    w.writerow(
        ["specialist_id", "specialist", "booked_minutes", "available_minutes", "utilisation"]
        + [f"net ({cur})"]
    )
    for row in report.by_specialist:
        w.writerow(
            [row.specialist, row.name, row.booked_minutes, row.available_minutes]
            + [row.utilisation, major(row.revenue.net)]
        )
    w.writerow([])
    columns = list(CLASS_COLUMNS)
    w.writerow(columns)
    for class_row in report.classes:
        values = class_row.as_dict()
        w.writerow([values[c] for c in columns])
    return out.getvalue()
