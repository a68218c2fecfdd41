"""People and intake: users and roles, studio settings, profiles, enquiries, intake, audit."""

import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import connection, models

from .addresses import normalize_email, normalize_email_or_none
from .media import RandomName, validate_image
from .tokens import tokens_revoke_all


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not a known time zone.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email):
        """accounts.addresses' one spelling (Django's own only lower-cases the domain).
        Raises ValidationError."""
        return normalize_email(email or "")

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", User.Role.OWNER)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # A login name that is no address at all matches no one (DoesNotExist, not a 500).
        return self.get(email__iexact=normalize_email_or_none(username or "") or username)


class User(AbstractUser):
    """A person who logs in by e-mail: the owner, a specialist or a client."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        SPECIALIST = "specialist", "Specialist"
        CLIENT = "client", "Client"

    username = None  # type: ignore[assignment]  # e-mail is the login
    email = models.EmailField("email", unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.CLIENT)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]
    objects = UserManager()  # type: ignore[misc,assignment]

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """Saves; a new password (reset, change, admin, changepassword) ends every API token.

        set_password() keeps the raw password in `_password` until the save; Django's silent
        re-hash at login clears it first, so only a real change counts."""
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            tokens_revoke_all(user=self)

    def clean(self):
        """Model forms (the admin's): the address is normalised, or refused on its field."""
        try:
            super().clean()
        except ValidationError as exc:
            raise ValidationError({"email": exc.messages}) from exc

    @property
    def name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_studio_staff(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.SPECIALIST)

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


# Reminder offsets a studio may choose (bookings/reminders/services.py sends them). The floor makes the
# worst case still arrive before the session: a reminder claimed at the end of its grace (half
# the offset) by a worker that then died is taken over after the claim lease (10 min) plus one
# run of the due job (1 min); 30 min leaves 15 min of grace and 4 min to spare.
REMINDER_OFFSET_MIN_MINUTES = 30
REMINDER_OFFSET_MAX_MINUTES = 14 * 24 * 60


def reminder_offsets_problems(value) -> list[str]:
    """What is wrong with a list of reminder offsets (minutes before the session), if anything."""
    if not isinstance(value, list):
        return ["Give a list of minutes before the session, e.g. [1440, 120]."]
    low, high = REMINDER_OFFSET_MIN_MINUTES, REMINDER_OFFSET_MAX_MINUTES
    problems = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int):
            problems.append(f"{item!r} is not a whole number of minutes.")
        elif not low <= item <= high:
            problems.append(
                f"{item} minutes: a reminder goes out between {low} minutes and "
                f"{high // 1440} days before the session."
            )
    return problems


class Studio(models.Model):
    """The one row of studio-wide settings and policies."""

    class RefundPolicy(models.TextChoices):
        FULL = "full", "Full refund"
        KEEP_DEPOSIT = "keep_deposit", "Deposit kept"
        NONE = "none", "No refund"

    name = models.CharField(max_length=120, default="Pilates Tonic")
    tagline = models.CharField(max_length=200, blank=True)
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    currency = models.CharField(max_length=3, default="USD")
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    cancellation_window_hours = models.PositiveIntegerField(default=24)
    late_cancel_refund = models.CharField(
        max_length=20,
        choices=RefundPolicy.choices,
        default=RefundPolicy.KEEP_DEPOSIT,
        help_text="What a client gets back when cancelling inside the window.",
    )
    late_cancel_fee = models.PositiveIntegerField(
        default=0,
        help_text="In minor units: what a late cancellation or a no-show owes (bookings/money.py).",
    )
    reminder_offsets_minutes = models.JSONField(default=list, blank=True)
    booking_horizon_days = models.PositiveIntegerField(default=60)
    min_notice_hours = models.PositiveIntegerField(default=12)
    slot_granularity_minutes = models.PositiveIntegerField(default=15)
    hold_minutes = models.PositiveIntegerField(default=15)
    shared_client_files = models.BooleanField(
        default=False,
        help_text="Every specialist sees every client's file, not only their care team's.",
    )

    class Meta:
        verbose_name = "studio settings"
        verbose_name_plural = "studio settings"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problems = reminder_offsets_problems(self.reminder_offsets_minutes)
        if problems:
            raise ValidationError({"reminder_offsets_minutes": problems})

    @classmethod
    def get(cls) -> "Studio":
        """The studio's one row, made on first use. Read with raw SQL: it is read on most
        requests, and building the queryset cost more than the read itself (0.2 -> 0.08 ms)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        for found in cls.objects.raw(f"SELECT * FROM {table} WHERE id = %s", [1]):
            return found
        studio, _ = cls.objects.get_or_create(
            pk=1, defaults={"reminder_offsets_minutes": [1440, 120]}
        )
        return studio


class Condition(models.Model):
    """Shared vocabulary of health conditions, used by intake and contraindications."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SpecialistProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="specialist")
    title = models.CharField(max_length=120, blank=True, default="Restorative Movement Specialist")
    bio = models.TextField(blank=True)
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    color = models.CharField(max_length=7, default="#3d7a6a")
    is_active = models.BooleanField(default=True)
    photo = models.ImageField(
        upload_to=RandomName("specialists"), blank=True, validators=[validate_image]
    )
    photo_thumb = models.ImageField(upload_to=RandomName("specialists"), blank=True, editable=False)

    class Meta:
        ordering = ["user__first_name", "user__last_name"]

    def __str__(self) -> str:
        return self.user.name

    @property
    def name(self) -> str:
        return self.user.name


class ContactMethod(models.TextChoices):
    EMAIL = "email", "E-mail"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"


class ClientProfile(models.Model):
    """Everything the studio keeps about a client. Health fields are sensitive.

    `red_flags` is a list of {"code", "label", "advice", "source", "at"} dicts raised by the
    intake screening; staff see them prominently.
    """

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="client")
    phone = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    timezone = models.CharField(
        max_length=64, default="America/New_York", validators=[validate_timezone]
    )
    goals = models.TextField(blank=True)
    conditions = models.ManyToManyField(Condition, blank=True, related_name="clients")
    conditions_to_confirm = models.ManyToManyField(
        Condition,
        blank=True,
        related_name="+",
        help_text="Carried from an enquiry into `conditions`; staff confirm them by saving the "
        "client's conditions.",
    )
    red_flags = models.JSONField(default=list, blank=True)
    assigned_specialist = models.ForeignKey(
        SpecialistProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="clients"
    )
    staff_notes = models.TextField(blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    health_consent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the client agreed to the studio storing health data."
    )
    intake_sent_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__first_name", "user__last_name", "user__email"]

    def __str__(self) -> str:
        return self.user.name

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def email(self) -> str:
        return self.user.email


class Enquiry(models.Model):
    """A public contact-form message. Stored before any e-mail is sent."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CONVERTED = "converted", "Converted"
        DECLINED = "declined", "Declined"
        SPAM = "spam", "Spam"

    Contact = ContactMethod

    name = models.CharField(max_length=120)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
    message = models.TextField()
    concerns = models.JSONField(default=list, blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=Contact.choices, default=Contact.EMAIL
    )
    consent = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=40, default="web")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    staff_notes = models.TextField(blank=True)
    client = models.ForeignKey(
        ClientProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="enquiries"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    converted_at = models.DateTimeField(null=True, blank=True)
    converted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class IntakeForm(models.Model):
    """A versioned set of intake questions kept as data; answers keep the version they used."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=120, default="Health history and consent")
    questions = models.JSONField(default=list)
    is_active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class IntakeSubmission(models.Model):
    """One client's answers to one version of the intake form, with the consent signature."""

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="intakes")
    form = models.ForeignKey(IntakeForm, on_delete=models.PROTECT, related_name="submissions")
    answers = models.JSONField(default=dict)
    red_flags = models.JSONField(default=list, blank=True)
    signature_name = models.CharField(max_length=120)
    signed_at = models.DateTimeField()
    signed_ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Intake {self.pk} ({self.client})"


class CareTeamMember(models.Model):
    """A specialist on a client's care team: they see the client's records (accounts/access.py).

    `reason` says how they joined: they converted the client's enquiry, a booking with them was
    made by the client or staff, or the owner or a team member added them."""

    class Reason(models.TextChoices):
        CONVERTED = "converted", "Converted the enquiry"
        BOOKED = "booked", "Booked"
        ADDED = "added", "Added"

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="care_team")
    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.CASCADE, related_name="care_teams"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "specialist"], name="care_team_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.specialist} on {self.client}'s care team ({self.reason})"


class AuditEvent(models.Model):
    """Who viewed or changed which client record, and when. Never holds health details."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CHANGED = "changed", "Changed"
        EXPORTED = "exported", "Exported"
        ERASED = "erased", "Erased"
        CREATED = "created", "Created"
        TEAM_ADDED = "team_added", "Care team joined"
        TEAM_REMOVED = "team_removed", "Care team left"

    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="audit_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    what = models.CharField(max_length=120, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.client} ({self.what})"


def new_token() -> str:
    return secrets.token_urlsafe(24)
