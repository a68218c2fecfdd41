"""The report on /studio/reports/ (a panel of that page): a date range form, the figures, the
weekly chart and the CSV link. The same selector answers GET /api/reports/."""

from django import forms

from accounts.models import Studio
from studio.kernel.errors import Invalid

from ..payments.services import stripe_enabled
from ..templatetags.payments_money import minor_per_major
from .selectors import Report, default_range, studio_report


class RangeForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (included)", widget=forms.DateInput(attrs={"type": "date"}))


def chart(report: Report) -> dict:
    """Chart.js data in major units, one stack per week (empty weeks too): online, at the
    studio, and refunds below the line."""
    per = minor_per_major(report.currency)
    weeks = report.weeks

    def series(label: str, key: str, sign: int = 1) -> dict:
        return {
            "label": label,
            "data": [sign * week.revenue.as_dict()[key] / per for week in weeks],
        }

    return {
        "labels": [f"{w.monday.day} {w.monday:%b}" for w in weeks],
        "currency": report.currency,
        "series": [
            series("Paid online", "paid_online"),
            series("Paid at the studio", "paid_in_studio"),
            series("Refunded", "refunded", -1),
        ],
    }


def report_context(request) -> dict:
    """The range asked for (or the last weeks) and its report; a bad range says why."""
    studio = Studio.get()
    start, end = default_range(studio=studio)
    form = RangeForm(request.GET or None, initial={"start": start, "end": end})
    error = ""
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        report = studio_report(start=start, end=end, studio=studio)
    except Invalid as exc:
        error = exc.detail
        start, end = default_range(studio=studio)
        report = studio_report(start=start, end=end, studio=studio)
    return {
        "form": form,
        "error": error,
        "report": report,
        "chart": chart(report),
        "online_off": not stripe_enabled(),
        "csv_query": f"start={report.start.isoformat()}&end={report.end.isoformat()}&format=csv",
    }
