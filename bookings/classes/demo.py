"""Demo classes (seed_demo, through bookings/demo.py): a `reformers` pool of 6, a weekly
reformer class of 6 places and a mat class, taught by Sydney for the coming eight weeks,
early in the morning and in the evening, outside her private-session hours."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User

from . import resources, services
from .models import ClassSeries, Resource

ZONE = "America/New_York"
WEEKS = 8
SERIES = [
    # title, local time, weekdays, minutes, capacity, price, equipment
    ("Reformer", time(7, 30), [0, 2, 4], 50, 6, 3200, "reformers"),
    ("Mat Pilates", time(18, 0), [1, 3], 45, 12, 2000, None),
]


def seed(users: dict[str, User]) -> None:
    sydney = users.get("sydney@example.com")
    if sydney is None:
        return
    reformers = Resource.objects.filter(slug="reformers").first() or resources.resource_create(
        slug="reformers", name="Reformers", units=6
    )
    if ClassSeries.objects.filter(instructor=sydney.specialist).exists():
        return  # already seeded
    tomorrow = timezone.now().astimezone(ZoneInfo(ZONE)).date() + timedelta(days=1)
    # (from tomorrow: a class earlier today would already have started)
    for title, at, weekdays, minutes, capacity, price, equipment in SERIES:
        services.class_create(
            title=title,
            instructor=sydney.specialist,
            start=datetime.combine(tomorrow, at),
            zone=ZONE,
            duration_minutes=minutes,
            capacity=capacity,
            resource=reformers if equipment else None,
            weekdays=weekdays,
            until=tomorrow + timedelta(weeks=WEEKS),
            price=price,
        )
