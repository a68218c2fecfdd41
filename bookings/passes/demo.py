"""The passes part of seed_demo (idempotent): the pack, the membership and an intro offer."""

from ..models import ClassType, Service
from .models import Pass

PASSES = [
    {
        "slug": "intro-3",
        "name": "Intro: 3 sessions",
        "description": "New to the studio? Three sessions at a friendly price, once.",
        "kind": Pass.Kind.PACK,
        "credits": 3,
        "valid_days": 30,
        "price": 9000,
        "intro_offer": True,
        "position": 1,
    },
    {
        "slug": "ten-classes",
        "name": "10 classes",
        "description": "Ten credits to use over three months.",
        "kind": Pass.Kind.PACK,
        "credits": 10,
        "valid_days": 90,
        "price": 40000,
        "position": 2,
    },
    {
        "slug": "monthly-8",
        "name": "Monthly 8",
        "description": "Eight credits every month; cancel any time.",
        "kind": Pass.Kind.MEMBERSHIP,
        "credits": 8,
        "valid_days": 31,
        "price": 28000,
        "position": 3,
    },
]
COVERED_SERVICES = ["follow-up"]
CLASS_TYPES = ["reformer", "mat-pilates"]  # bookings/classes/demo.py


def seed_passes() -> None:
    """Create or refresh the demo passes; each covers the classes and the follow-up session."""
    covered = list(Service.objects.filter(slug__in=COVERED_SERVICES))
    classes = list(ClassType.objects.filter(slug__in=CLASS_TYPES))
    for row in PASSES:
        pass_type, _ = Pass.objects.update_or_create(
            slug=row["slug"], defaults={k: v for k, v in row.items() if k != "slug"}
        )
        pass_type.services.set(covered)
        pass_type.class_types.set(classes)
