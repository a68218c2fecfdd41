"""Bench data, made fast with bulk_create (no services, no e-mails, no reminders)."""

from datetime import datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

ZONE = "America/New_York"


def studio():
    from accounts.models import Studio

    s = Studio.get()
    s.min_notice_hours, s.booking_horizon_days = 0, 90
    s.save()
    return s


def owner():
    """The owner, with an API token (returned as a header dict too)."""
    from accounts.models import User
    from accounts.tokens import token_issue

    user = User.objects.create_user(email="owner@bench.test", role=User.Role.OWNER)
    token, _ = token_issue(user=user)
    return user, {"Authorization": f"Token {token}"}


def specialists(n: int):
    """n specialists working 08:00-20:00 every day, offering one 30-minute service."""
    from accounts.models import SpecialistProfile, User
    from bookings.models import Service, WeeklyHours

    users = User.objects.bulk_create(
        User(email=f"spec{i}@bench.test", role=User.Role.SPECIALIST) for i in range(n)
    )
    specs = SpecialistProfile.objects.bulk_create(
        SpecialistProfile(user=u, timezone=ZONE) for u in users
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(specialist=s, weekday=d, start=clock(8), end=clock(20))
        for s in specs
        for d in range(7)
    )
    service = Service.objects.create(slug="bench", name="Bench", duration_minutes=30)
    service.specialists.add(*specs)
    return specs, service


def clients(n: int):
    from accounts.models import ClientProfile, User

    users = User.objects.bulk_create(User(email=f"client{i}@bench.test") for i in range(n))
    return ClientProfile.objects.bulk_create(ClientProfile(user=u) for u in users)


def first_day():
    return (datetime.now(ZoneInfo(ZONE)) + timedelta(days=1)).date()


def bookings(specialist, service, clients, n: int, *, per_day: int = 10, start_day=None):
    """n confirmed 30-minute bookings from start_day (default tomorrow), per_day a day, on the
    hour from 08:00, round-robin over clients."""
    from bookings.models import Booking

    zone = ZoneInfo(ZONE)
    day = start_day or first_day()
    made = []
    for i in range(n):
        start = datetime.combine(day + timedelta(days=i // per_day), clock(8), tzinfo=zone)
        start += timedelta(hours=i % per_day)
        end = start + timedelta(minutes=30)
        made.append(
            Booking(
                client=clients[i % len(clients)],
                specialist=specialist,
                service=service,
                start=start,
                end=end,
                blocked_start=start,
                blocked_end=end,
                status=Booking.Status.CONFIRMED,
            )
        )
    made = Booking.objects.bulk_create(made, batch_size=1000)
    from bookings import availability_cache

    availability_cache.generation_bump()  # as a real write would (bulk_create sends no signal)
    return made
