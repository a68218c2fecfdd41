"""Dashboard panels of the booking engine: the catalogue on the front page, a client's bookings,
a specialist's day, and the schedule calendar (see studio/views.py)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts import access
from accounts.models import Studio
from accounts.selectors import viewer_timezone
from bookings.views.staff import SHOWN_STATUSES, visible_specialists
from studio.kernel.panels import Panel, panel

from .. import selectors
from ..models import Booking


def home(request, **kwargs) -> list[Panel]:
    return [
        panel(
            request,
            title="Services",
            template="bookings/panels/home_services.html",
            context={"services": selectors.service_list()},
            order=10,
        ),
        panel(
            request,
            title="Our specialists",
            template="bookings/panels/home_specialists.html",
            context={"specialists": selectors.specialist_list()},
            order=20,
        ),
    ]


def portal(request, **kwargs) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or user.role != "client":
        return []
    now = timezone.now()
    profile = getattr(user, "client", None)
    return [
        panel(
            request,
            title="My bookings",
            template="bookings/panels/portal_bookings.html",
            context={
                "upcoming": selectors.bookings_upcoming_for_client(user=user, now=now),
                "past": selectors.bookings_past_for_client(user=user, now=now),
                "tz": profile.timezone if profile else Studio.get().timezone,
            },
            order=10,
        )
    ]


def workspace(request, **kwargs) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or not user.is_studio_staff:
        return []
    tz = viewer_timezone(user)
    zone = ZoneInfo(tz)
    day = timezone.now().astimezone(zone).date()
    start = datetime.combine(day, time(0), tzinfo=zone)
    specialists = visible_specialists(user)
    bookings = list(
        selectors.bookings_between(
            start=start,
            end=start + timedelta(days=1),
            specialists=[s.pk for s in specialists],
            statuses=SHOWN_STATUSES,
        )
    )
    # Another care team's client: the time shows as booked, without who or what.
    seen = access.visible_client_ids(user, {b.client_id for b in bookings})
    rows = [(b, b.client_id in seen) for b in bookings]
    return [
        panel(
            request,
            title="Today's schedule",
            template="bookings/panels/workspace_today.html",
            context={
                "rows": rows,
                "tz": tz,
                "day": start,
                "several": len(specialists) > 1,
                "now": timezone.now(),
                "confirmed": Booking.Status.CONFIRMED,
            },
            order=10,
        )
    ]


def schedule(request, **kwargs) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or not user.is_studio_staff:
        return []
    specialists = visible_specialists(user)
    day = request.GET.get("date", "")
    try:
        day = date.fromisoformat(day).isoformat()
    except ValueError:
        day = None
    return [
        panel(
            request,
            title="Calendar" if len(specialists) > 1 else "My schedule",
            template="bookings/panels/schedule_calendar.html",
            context={
                "config": {
                    "events": "/studio/schedule/events/",
                    "tz": viewer_timezone(user),
                    "date": day,
                    "specialists": [
                        {"id": s.pk, "name": s.name, "color": s.color} for s in specialists
                    ],
                },
            },
            order=10,
            wide=True,
        )
    ]
