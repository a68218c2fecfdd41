"""Exercise catalog, program templates, client programs with version history, practice logs."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.media import RandomName, validate_image, validate_video
from accounts.models import ClientProfile, Condition, SpecialistProfile

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # index = date.weekday()

# Bounds a dosage may take; the API, the forms and the database constraints share them.
SETS_MAX, REPS_MAX, HOLD_MAX, BREATHS_MAX = 20, 500, 3600, 100


def _between(field: str, low: int, high: int, *, nullable: bool) -> Q:
    bounded = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return bounded | Q(**{f"{field}__isnull": True}) if nullable else bounded


class Dosage(models.Model):
    """Sets, reps, hold and breaths: an exercise's default and an item's prescription."""

    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    breaths = models.PositiveSmallIntegerField(null=True, blank=True)
    per_side = models.BooleanField(default=False)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=_between("sets", 1, SETS_MAX, nullable=False),
                name="%(app_label)s_%(class)s_sets_range",
            ),
            models.CheckConstraint(
                condition=_between("reps", 1, REPS_MAX, nullable=True),
                name="%(app_label)s_%(class)s_reps_range",
            ),
            models.CheckConstraint(
                condition=_between("hold_seconds", 1, HOLD_MAX, nullable=True),
                name="%(app_label)s_%(class)s_hold_range",
            ),
            models.CheckConstraint(
                condition=_between("breaths", 1, BREATHS_MAX, nullable=True),
                name="%(app_label)s_%(class)s_breaths_range",
            ),
        ]

    @property
    def dosage_text(self) -> str:
        """ "2 x 10 reps", "1 x hold 60 s, each side", "1 x 10 breaths"."""
        parts = [f"{n} {unit}" for n, unit in ((self.reps, "reps"), (self.breaths, "breaths")) if n]
        if self.hold_seconds:
            parts.append(f"hold {self.hold_seconds} s")
        text = f"{self.sets} × " + ", ".join(parts) if parts else f"{self.sets} sets"
        return text + (", each side" if self.per_side else "")

    def dosage(self) -> dict:
        return {f: getattr(self, f) for f in DOSAGE_FIELDS}


DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "breaths", "per_side")


class Region(models.Model):
    """A body region an exercise works (feet, calves, pelvic floor...)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Equipment(models.Model):
    """Something an exercise needs: a wall, a strap, a half foam roller..."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "equipment"

    def __str__(self) -> str:
        return self.name


class Exercise(Dosage):
    """One catalog entry: how to do it, what to feel, default dosage, who should not."""

    class Position(models.TextChoices):
        LYING = "lying", "Lying"
        SEATED = "seated", "Seated"
        STANDING = "standing", "Standing"
        KNEELING = "kneeling", "Kneeling"

    class Difficulty(models.IntegerChoices):
        GENTLE = 1, "Gentle"
        MODERATE = 2, "Moderate"
        CHALLENGING = 3, "Challenging"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    instructions = models.JSONField(default=list, blank=True, help_text="Steps, in order.")
    cues = models.JSONField(default=list, blank=True, help_text="Cues, in order.")
    common_mistakes = models.JSONField(default=list, blank=True)
    feel_it = models.TextField("where to feel it", blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="exercises")
    position = models.CharField(max_length=20, choices=Position.choices)
    equipment = models.ManyToManyField(Equipment, blank=True, related_name="exercises")
    difficulty = models.PositiveSmallIntegerField(
        choices=Difficulty.choices, default=Difficulty.GENTLE
    )
    contraindications = models.ManyToManyField(
        Condition, blank=True, related_name="contraindicated_exercises"
    )
    progressions = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="regressions"
    )
    media_url = models.URLField("image or video URL", blank=True)
    image = models.ImageField(
        upload_to=RandomName("exercises"), blank=True, validators=[validate_image]
    )
    image_thumb = models.ImageField(upload_to=RandomName("exercises"), blank=True, editable=False)
    video = models.FileField(
        upload_to=RandomName("exercises"),
        blank=True,
        validators=[validate_video],
        help_text="MP4 or WebM, at most 25 MB.",
    )
    is_active = models.BooleanField(default=True, help_text="Inactive exercises stay in programs.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta(Dosage.Meta):
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgramTemplate(models.Model):
    """A reusable starting point; a client's program is copied from it and then customised."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    goal = models.TextField(blank=True)
    weekly_frequency = models.PositiveSmallIntegerField(default=3)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_frequency__gte=1, weekly_frequency__lte=7),
                name="template_weekly_frequency_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TemplateItem(Dosage):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    cue = models.TextField(blank=True)
    days = models.JSONField(default=list, blank=True, help_text="Weekdays 0=Mon..6=Sun; [] = all.")

    class Meta(Dosage.Meta):
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.template}: {self.exercise}"


class Program(models.Model):
    """A client's program. Editing it while active records a ProgramVersion."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="programs")
    specialist = models.ForeignKey(
        SpecialistProfile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programs",
    )
    template = models.ForeignKey(
        ProgramTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="programs"
    )
    title = models.CharField(max_length=120)
    goal = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(null=True, blank=True)
    weekly_frequency = models.PositiveSmallIntegerField(default=3)
    version = models.PositiveIntegerField(default=0, help_text="0 until first published.")
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(status="active"),
                name="one_active_program_per_client",
            ),
            models.CheckConstraint(
                condition=Q(weekly_frequency__gte=1, weekly_frequency__lte=7),
                name="program_weekly_frequency_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.client})"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.ACTIVE)


class ProgramItem(Dosage):
    """One exercise in a client's program, with the dosage and cue chosen for this client.

    An exercise contraindicated for the client keeps the conditions that flagged it; it reaches
    the client only once a specialist has stored a reason for keeping it.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="program_items")
    position = models.PositiveSmallIntegerField(default=0)
    cue = models.TextField("specialist's cue", blank=True)
    days = models.JSONField(default=list, blank=True, help_text="Weekdays 0=Mon..6=Sun; [] = all.")
    flagged_conditions = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)

    class Meta(Dosage.Meta):
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.exercise}"

    @property
    def pending_reason(self) -> bool:
        """Flagged as contraindicated and no reason to keep it stored yet."""
        return bool(self.flagged_conditions) and not self.override_reason

    @property
    def days_text(self) -> str:
        return ", ".join(WEEKDAYS[d] for d in self.days) if self.days else "every practice day"


class ProgramVersion(models.Model):
    """A snapshot of a program as published, and after every later edit, with the reason."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    reason = models.TextField()
    snapshot = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="one_program_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.program_id} v{self.number}"


class PracticeLog(models.Model):
    """The client's record of one practice day on a program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="logs")
    date = models.DateField()
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    difficulty = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    completed_items = models.ManyToManyField(ProgramItem, blank=True, related_name="+")
    program_version = models.PositiveIntegerField(default=0)
    planned_count = models.PositiveSmallIntegerField(default=0)
    done_count = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["program", "date"], name="one_log_per_program_day"),
            models.CheckConstraint(
                condition=_between("pain", 0, 10, nullable=True), name="pain_0_10"
            ),
            models.CheckConstraint(
                condition=_between("difficulty", 1, 10, nullable=True), name="difficulty_1_10"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.date}"

    @property
    def adherence(self) -> int:
        """Percent of the day's planned exercises done (capped at 100)."""
        if not self.planned_count:
            return 100 if self.done_count else 0
        return round(100 * min(self.done_count, self.planned_count) / self.planned_count)
