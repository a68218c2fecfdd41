"""The bookings part of seed_demo: services, working hours and a few bookings (idempotent)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.care_team import care_team_join
from accounts.models import CareTeamMember, User

from . import availability_cache
from .availability import blocked_interval
from .classes import demo as classes_demo
from .models import Booking, BookingEvent, Service, WeeklyHours
from .passes.demo import seed_passes
from .selectors import service_shape

NEW_YORK = ZoneInfo("America/New_York")

SERVICES = [
    {
        "slug": "consultation",
        "name": "Free consultation",
        "description": "A relaxed first conversation: what brings you here, how you move today, "
        "and whether we are the right studio for you.",
        "duration_minutes": 30,
        "price": 0,
        "deposit": 0,
        "position": 1,
    },
    {
        "slug": "private-session",
        "name": "Private session",
        "description": "One-to-one restorative movement session built around your program.",
        "duration_minutes": 55,
        "buffer_after_minutes": 5,
        "price": 9500,
        "deposit": 2500,
        "position": 2,
    },
    {
        "slug": "postural-assessment",
        "name": "Postural assessment",
        "description": "A full alignment and gait assessment, the start of a customized program.",
        "duration_minutes": 75,
        "buffer_after_minutes": 15,
        "price": 14000,
        "deposit": 4000,
        "position": 3,
    },
    {
        "slug": "follow-up",
        "name": "Program follow-up",
        "description": "Check in on your program, progress exercises and adjust the plan.",
        "duration_minutes": 30,
        "price": 5000,
        "deposit": 0,
        "audience": Service.Audience.EXISTING,
        "position": 4,
    },
]
SPECIALISTS = ["sydney@example.com", "marco@example.com"]
COLORS = {"sydney@example.com": "#3d7a6a", "marco@example.com": "#8a4f9e"}  # schedule columns

# (client, specialist, service, weekdays from today (0: today), local hour, status)
BOOKINGS = [
    ("client@example.com", "sydney@example.com", "consultation", -21, 10, "completed"),
    ("client@example.com", "sydney@example.com", "private-session", -14, 11, "completed"),
    ("client@example.com", "sydney@example.com", "private-session", -7, 11, "no_show"),
    ("client2@example.com", "marco@example.com", "consultation", -10, 14, "completed"),
    ("client2@example.com", "marco@example.com", "postural-assessment", -3, 9, "completed"),
    ("client@example.com", "sydney@example.com", "consultation", 0, 10, "confirmed"),
    ("client2@example.com", "marco@example.com", "private-session", 0, 14, "confirmed"),
    ("client@example.com", "sydney@example.com", "private-session", 3, 11, "confirmed"),
    ("client@example.com", "sydney@example.com", "follow-up", 10, 15, "confirmed"),
    ("client2@example.com", "marco@example.com", "private-session", 4, 13, "confirmed"),
    ("client2@example.com", "sydney@example.com", "consultation", 8, 9, "confirmed"),
]


def _weekday(today: date, offset: int) -> date:
    """The date `offset` weekdays from today (negative: before), skipping weekends."""
    day, step, left = today, (1 if offset > 0 else -1), abs(offset)
    while left:
        day += timedelta(days=step)
        if day.weekday() < 5:
            left -= 1
    return day


@transaction.atomic
def seed(users: dict[str, User]) -> None:
    """Services, Mon–Fri 09:00–17:00 New York hours, and demo bookings for the demo clients."""
    services: dict[str, Service] = {}
    for row in SERVICES:
        slug = str(row["slug"])
        service, _ = Service.objects.update_or_create(
            slug=slug, defaults={k: v for k, v in row.items() if k != "slug"}
        )
        services[slug] = service
    specialists = [users[email].specialist for email in SPECIALISTS if email in users]
    for specialist in specialists:
        wanted = COLORS[specialist.user.email]
        if specialist.color != wanted:
            specialist.color = wanted
            specialist.save(update_fields=["color"])
    for service in services.values():
        service.specialists.add(*specialists)
    for specialist in specialists:
        if not specialist.weekly_hours.exists():
            WeeklyHours.objects.bulk_create(
                WeeklyHours(specialist=specialist, weekday=d, start=time(9), end=time(17))
                for d in range(5)
            )
            availability_cache.generation_bump_on_commit()  # bulk_create sends no signal
    _seed_bookings(users, services)
    _seed_care_teams(users)
    classes_demo.seed(users)
    seed_passes()


def _seed_care_teams(users: dict[str, User]) -> None:
    """Each demo booking's specialist is on its client's care team, as a booking made by the
    client would have put them (Hannah: Sydney; Joy: Marco and Sydney)."""
    for client, specialist, *_rest in BOOKINGS:
        care_team_join(
            client=users[client].client,
            specialist=users[specialist].specialist,
            reason=CareTeamMember.Reason.BOOKED,
            by=users[client],
        )


def _seed_bookings(users: dict[str, User], services: dict[str, Service]) -> None:
    clients = {e: users[e].client for e in ("client@example.com", "client2@example.com")}
    if Booking.objects.filter(client__in=clients.values()).exists():
        return  # already seeded (or the demo clients have booked themselves)
    today = timezone.now().astimezone(NEW_YORK).date()
    for client, specialist, slug, offset, hour, status in BOOKINGS:
        service = services[slug]
        start = datetime.combine(_weekday(today, offset), time(hour), tzinfo=NEW_YORK)
        end = start + service.duration
        blocked = blocked_interval(start, end, service_shape(service))
        booking = Booking.objects.create(
            client=clients[client],
            specialist=users[specialist].specialist,
            service=service,
            start=start,
            end=end,
            blocked_start=blocked.start,
            blocked_end=blocked.end,
            status=status,
            price=service.price,
            amount_due=service.amount_due_at_booking,
            currency=service.currency,
            payment_method=(
                Booking.PaymentMethod.IN_STUDIO if service.price else Booking.PaymentMethod.FREE
            ),
        )
        BookingEvent.objects.create(booking=booking, kind="created", data={"demo": True})
        if status != Booking.Status.CONFIRMED:
            BookingEvent.objects.create(booking=booking, kind=status, data={"demo": True})
