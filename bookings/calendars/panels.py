"""Dashboard panels for calendars: connection health in the workspace, the feed in the portal."""

from bookings.calendars.connections import calendar_connection_list, connection_state
from bookings.calendars.views import connection_title, feed_rows
from studio.kernel.panels import panel


def workspace(request, **kwargs):
    rows = [
        {"connection": c, "title": connection_title(c), "state": connection_state(c)}
        for c in calendar_connection_list(user=request.user).filter(is_active=True)
    ]
    return [
        panel(
            request,
            title="Calendars",
            template="bookings/calendars/panel_workspace.html",
            context={
                "rows": rows,
                "failing": [r for r in rows if r["state"] == "failing"],
                "show_owner": request.user.is_owner,
            },
            order=80,
        )
    ]


def portal(request, **kwargs):
    feeds = [f for f in feed_rows(request.user) if f["kind"] in ("client", "program")]
    if not feeds:
        return []
    return [
        panel(
            request,
            title="Your bookings in your calendar",
            template="bookings/calendars/panel_portal.html",
            context={"feeds": feeds},
            order=80,
        )
    ]
