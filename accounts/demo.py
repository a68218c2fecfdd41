"""Demo people for seed_demo: the studio, its owner, two specialists and two clients."""

from django.conf import settings
from django.db import transaction

from .models import ClientProfile, Condition, SpecialistProfile, Studio, User

PEOPLE = [
    ("owner@example.com", "Olivia", "Owner", User.Role.OWNER),
    ("sydney@example.com", "Sydney", "Reed", User.Role.SPECIALIST),
    ("marco@example.com", "Marco", "Alvarez", User.Role.SPECIALIST),
    ("client@example.com", "Hannah", "Client", User.Role.CLIENT),
    ("client2@example.com", "Joy", "Client", User.Role.CLIENT),
]


@transaction.atomic
def seed_people(*, password: str | None = None) -> dict[str, User]:
    """Create (or refresh) the demo studio and users; safe to run again."""
    password = password or settings.DEMO_PASSWORD
    studio = Studio.get()
    studio.name = studio.name or "Pilates Tonic"
    studio.tagline = studio.tagline or "Restorative movement and customized alignment programs"
    studio.address = studio.address or "120 Market Street, Chattanooga, TN 37402"
    studio.phone = studio.phone or "423.702.5233"
    studio.email = studio.email or "info@pilatestonic.example"
    studio.save()
    users = {}
    for email, first, last, role in PEOPLE:
        user, _ = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "role": role}
        )
        user.role = role
        user.is_staff = role == User.Role.OWNER
        user.is_superuser = role == User.Role.OWNER
        user.set_password(password)
        user.save()
        if role == User.Role.SPECIALIST:
            SpecialistProfile.objects.get_or_create(
                user=user, defaults={"timezone": "America/New_York"}
            )
        if role == User.Role.CLIENT:
            ClientProfile.objects.get_or_create(
                user=user, defaults={"timezone": "America/New_York"}
            )
        users[email] = user
    sydney = users["sydney@example.com"].specialist
    if not sydney.bio:
        sydney.bio = (
            "Restorative Movement Specialist. I design customized alignment and movement "
            "programs that start from the feet and work up."
        )
        sydney.save()
    return users


def seed_conditions(conditions: list[dict]) -> None:
    """Make sure the shared condition vocabulary exists."""
    for row in conditions:
        Condition.objects.update_or_create(
            slug=row["slug"], defaults={"name": row["name"], "region": row.get("region", "")}
        )
