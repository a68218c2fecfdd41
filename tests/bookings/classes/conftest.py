"""Fixtures for class tests: a New York studio, an instructor, a helper that makes classes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Studio
from bookings.classes import services
from tests import factories

NY = ZoneInfo("America/New_York")


@pytest.fixture
def studio(db):
    studio = Studio.get()
    studio.timezone = "America/New_York"
    studio.min_notice_hours = 1
    studio.save()
    return studio


@pytest.fixture
def instructor(studio):
    specialist = factories.SpecialistFactory(timezone="America/New_York")
    factories.weekday_hours(specialist, weekdays=range(7))
    return specialist


@pytest.fixture
def make_class(instructor):
    """A one-off class `days` ahead at 09:00 New York (or at `start`)."""

    def make(*, capacity=8, days=3, start=None, title="Reformer", **kwargs):
        if start is None:
            day = (timezone.now().astimezone(NY) + timedelta(days=days)).date()
            start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=NY)
        return services.class_create(
            title=title,
            instructor=kwargs.pop("instructor", instructor),
            start=start,
            zone="America/New_York",
            duration_minutes=kwargs.pop("duration_minutes", 50),
            capacity=capacity,
            **kwargs,
        )[0]

    return make


def clients(n: int, prefix: str = "c"):
    return [factories.ClientFactory(user__email=f"{prefix}{i}@example.org") for i in range(n)]
