"""Rows for group classes. Imported into bookings/models.py, so they belong to the bookings app.

Capacity is guarded by a row lock on the occurrence (services.py); a unit of a resource is
guarded on PostgreSQL by the exclusion constraint `unit_claim_no_overlap` (migration 0006) and on
SQLite by the IMMEDIATE transaction every writer takes.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import ClientProfile, SpecialistProfile


def new_offer_token() -> str:
    return secrets.token_urlsafe(24)


class Resource(models.Model):
    """A room or a pool of equipment with a number of interchangeable units (8 reformers)."""

    class Kind(models.TextChoices):
        ROOM = "room", "Room (a class takes one unit)"
        EQUIPMENT = "equipment", "Equipment (each place takes one unit)"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EQUIPMENT)
    units = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(units__gt=0), name="resource_has_units")]

    def __str__(self) -> str:
        return f"{self.name} ({self.units})"


class ResourceUnit(models.Model):
    """One unit of a resource: reformer 3. Claims lock units, never the resource as a whole."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="unit_rows")
    number = models.PositiveIntegerField()

    class Meta:
        ordering = ["resource", "number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="one_unit_number")
        ]

    def __str__(self) -> str:
        return f"{self.resource.name} {self.number}"


class ServiceResource(models.Model):
    """A private-session service that needs one unit of a resource (a treatment room)."""

    service = models.OneToOneField(
        "bookings.Service", on_delete=models.CASCADE, related_name="resource_need"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.service} needs {self.resource}"


class ClassType(models.Model):
    """Mat, reformer, restorative. Its bookings' `service` is a hidden (inactive) Service of the
    same name, so e-mails, feeds and reminders name the class like any booking."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    service = models.OneToOneField(
        "bookings.Service", on_delete=models.PROTECT, related_name="class_type"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClassSeries(models.Model):
    """A weekly class: its wall-clock time in `timezone` on chosen weekdays until a date."""

    class_type = models.ForeignKey(ClassType, on_delete=models.PROTECT, related_name="series")
    instructor = models.ForeignKey(SpecialistProfile, on_delete=models.PROTECT, related_name="+")
    timezone = models.CharField(max_length=64)
    first_date = models.DateField()
    local_time = models.TimeField()
    weekdays = models.JSONField(default=list, help_text="0 = Monday … 6 = Sunday")
    until = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "class series"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_date__lte=F("until")), name="series_until_after_first"
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_type} {self.local_time:%H:%M} {self.timezone}"


class ClassOccurrence(models.Model):
    """One class on one day. Copies its series' settings, so one occurrence can be edited."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(
        ClassSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    class_type = models.ForeignKey(ClassType, on_delete=models.PROTECT, related_name="+")
    instructor = models.ForeignKey(
        SpecialistProfile, on_delete=models.PROTECT, related_name="class_occurrences"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    price = models.PositiveIntegerField(default=0, help_text="In minor units.")
    currency = models.CharField(max_length=3, default="USD")
    credits = models.PositiveIntegerField(default=0)
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.PROTECT, related_name="occurrences"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["instructor", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="occurrence_start_end"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="occurrence_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.class_type} {self.start:%Y-%m-%d %H:%M}"

    @property
    def title(self) -> str:
        return self.class_type.name


class UnitClaim(models.Model):
    """A unit in use from start to end: by a class (a room), or by one booking (a reformer,
    a private session's room). Released claims stay as history with `active` off."""

    unit = models.ForeignKey(ResourceUnit, on_delete=models.PROTECT, related_name="claims")
    start = models.DateTimeField()
    end = models.DateTimeField()
    occurrence = models.ForeignKey(
        ClassOccurrence, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["unit", "start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="unit_claim_start_end")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.start:%Y-%m-%d %H:%M}"


class WaitlistEntry(models.Model):
    """One client waiting for one class; first come, first offered (ties broken by id)."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        OFFERED = "offered", "Offered a place"
        BOOKED = "booked", "Booked"
        LEFT = "left", "Left the list"
        SKIPPED = "skipped", "Skipped (could not take a place)"
        LAPSED = "lapsed", "Offer lapsed (not claimed in time)"
        CLOSED = "closed", "Class cancelled or over"

    ACTIVE = (Status.WAITING, Status.OFFERED)

    occurrence = models.ForeignKey(
        ClassOccurrence, on_delete=models.CASCADE, related_name="waitlist"
    )
    client = models.ForeignKey(ClientProfile, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurrence", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "client"],
                condition=Q(status__in=["waiting", "offered"]),
                name="one_waitlist_entry_per_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurrence_id} #{self.pk} {self.status}"


class WaitlistOffer(models.Model):
    """A place offered to one waiting client by e-mail, claimed once through its token.

    A `held` offer keeps the place for that client until `expires_at`; after the cut-off before
    class a freed place is `open`: every waiting client is told and the first claim wins."""

    class Kind(models.TextChoices):
        HELD = "held", "Held for this client"
        OPEN = "open", "First to claim"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        LAPSED = "lapsed", "Lapsed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    occurrence = models.ForeignKey(ClassOccurrence, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HELD)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    token = models.CharField(max_length=64, unique=True, default=new_offer_token)
    expires_at = models.DateTimeField()
    booking = models.ForeignKey(
        "bookings.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status="open"), name="one_open_offer_per_entry"
            )
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.kind}, {self.status})"


class ClassCheckIn(models.Model):
    """Staff ticked this place's client as present."""

    booking = models.OneToOneField(
        "bookings.Booking", on_delete=models.CASCADE, related_name="check_in"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.booking_id} checked in"
