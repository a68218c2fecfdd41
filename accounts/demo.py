"""Demo people for seed_demo: the studio, its owner, two specialists and two clients."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import intake_v1
from .care_team import care_team_join
from .intake import intake_submit
from .models import (
    AuditEvent,
    CareTeamMember,
    ClientProfile,
    Condition,
    Enquiry,
    IntakeForm,
    SpecialistProfile,
    Studio,
    User,
)

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


# --- seed(users): intake form, demo intakes and enquiries ------------------------------------

# The conditions the demo intakes use; the programs app loads the full vocabulary (same slugs).
DEMO_CONDITIONS = [
    {"slug": "knee-bursitis", "name": "Knee bursitis (incl. pes anserine)", "region": "knees"},
    {
        "slug": "postpartum-under-12-months",
        "name": "Postpartum (under 12 months)",
        "region": "pelvis",
    },
]

# Real questions from the studio's blog (../shared/seeds/), as enquiries.
HANNAH_QUESTION = (
    "Hi Sydney, this stretch feels great. I have terrible pes anserine bursitis on both knees. "
    "I'm in physical therapy, but what else can I do to get past this? I just had my second "
    "baby 6 months ago and picking her up night and day wreaks havoc on my knees. "
    "Thanks in advance!"
)
JOY_QUESTION = (
    "I tried the legs-up-the-wall inner-thigh stretch. How wide should I open my legs? "
    "My knees want to bend as soon as I open them."
)
THIGH_QUESTION = (
    "I have severe pain in my upper thigh, inner, outer, front and behind the knee. I was told "
    "that it could be fascia related. What is a good exercise to ease the pain?"
)
POSTPARTUM_QUESTION = (
    "Do you work with women after a C-section? My son is 4 months old and my belly still "
    "feels weak. I would like to start gently."
)

HANNAH_INTAKE = {
    "date_of_birth": "1991-04-12",
    "conditions": ["knee-bursitis"],
    "surgeries": "",
    "health_other": "In physical therapy for pes anserine bursitis (both knees).",
    "goals": "Pick up my baby night and day without my knees hurting.",
    "activity": "sometimes",
    "pain_now": 6,
    "pain_where": "Inside of both knees, just below the joint",
    "pain_pattern": "Worse after lifting the baby and on stairs; better after the stretches.",
    "pregnancy": "postpartum",
    "pregnancy_detail": "Second baby, born 6 months ago. No complications.",
    "parq_heart": "no",
    "parq_chest_pain": "no",
    "parq_dizziness": "no",
    "parq_chronic": "no",
    "parq_medication": "no",
    "parq_joint": "yes",
    "parq_supervised": "no",
}
JOY_INTAKE = {
    "goals": "Loosen my tight inner thighs and walk without stiffness.",
    "activity": "often",
    "pain_now": 2,
    "pain_where": "Inner thighs when I stretch",
    "pregnancy": "no",
    **{
        key: "no"
        for key in (
            "parq_heart",
            "parq_chest_pain",
            "parq_dizziness",
            "parq_chronic",
            "parq_medication",
            "parq_joint",
            "parq_supervised",
        )
    },
}


@transaction.atomic
def seed(users: dict[str, User]) -> None:
    """Intake form v1, a submitted intake for each demo client (Hannah's raises a red flag) and
    a few enquiries from the studio's real questions. Sends no e-mail; safe to run again."""
    form, _ = IntakeForm.objects.get_or_create(
        version=1, defaults={"title": intake_v1.TITLE, "questions": intake_v1.QUESTIONS}
    )
    for row in DEMO_CONDITIONS:
        Condition.objects.get_or_create(slug=row["slug"], defaults=row)
    now = timezone.now()
    hannah = users["client@example.com"].client
    joy = users["client2@example.com"].client
    sydney = users["sydney@example.com"]
    enquiries = [
        ("Hannah Client", "client@example.com", HANNAH_QUESTION, ["knee-bursitis"], hannah, 30),
        ("Joy Client", "client2@example.com", JOY_QUESTION, ["inner thighs"], joy, 21),
        ("Dana Whitfield", "dana@example.net", THIGH_QUESTION, ["knees", "thigh pain"], None, 2),
        ("Priya Raman", "priya@example.net", POSTPARTUM_QUESTION, [], None, 1),
    ]
    for name, email, message, concerns, client, days_ago in enquiries:
        enquiry, created = Enquiry.objects.get_or_create(
            email=email,
            source="demo",
            defaults={
                "name": name,
                "message": message,
                "concerns": concerns,
                "consent": True,
                "consent_at": now - timedelta(days=days_ago),
                "status": Enquiry.Status.CONVERTED if client else Enquiry.Status.NEW,
                "client": client,
                "converted_at": now - timedelta(days=days_ago - 1) if client else None,
                "converted_by": sydney if client else None,
            },
        )
        if created:  # auto_now_add ignores defaults: date it as the story says
            Enquiry.objects.filter(pk=enquiry.pk).update(created=now - timedelta(days=days_ago))
    Enquiry.objects.filter(email="dana@example.net", source="demo").update(
        status=Enquiry.Status.CONTACTED, staff_notes="Left a voicemail; will call again Thursday."
    )
    for client, answers, days_ago in ((hannah, HANNAH_INTAKE, 28), (joy, JOY_INTAKE, 20)):
        if not client.intakes.exists():
            intake_submit(
                client=client,
                intake_form=form,
                answers=answers,
                signature_name=client.user.get_full_name(),
                consent=True,
                ip="127.0.0.1",
                now=now - timedelta(days=days_ago),
                notify=False,
            )
            AuditEvent.objects.filter(client=client, what="intake submitted").update(
                created=now - timedelta(days=days_ago)
            )
    # Sydney converted both enquiries: she is on both clients' care teams (bookings add Marco).
    for client in (hannah, joy):
        care_team_join(
            client=client,
            specialist=sydney.specialist,
            reason=CareTeamMember.Reason.CONVERTED,
            by=sydney,
        )
    hannah.assigned_specialist = hannah.assigned_specialist or sydney.specialist
    hannah.save(update_fields=["assigned_specialist"])
    joy.assigned_specialist = joy.assigned_specialist or users["marco@example.com"].specialist
    joy.save(update_fields=["assigned_specialist"])
