"""The owner's report panel on /studio/reports/ (bookings/reports/)."""

from studio.kernel.panels import Panel, panel

from ..reports.views import report_context


def reports(request) -> list[Panel]:
    if not request.user.is_owner:
        return []
    return [
        panel(
            request,
            title="Report",
            template="bookings/reports/panel_report.html",
            context=report_context(request),
            order=10,
            wide=True,
        )
    ]
