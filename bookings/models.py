"""Bookings: services, working hours, bookings and their history, payments, reminders, calendars.

A booking's blocked interval is [start - buffer_before, end + buffer_after). It is stored
(`blocked_start`, `blocked_end`) so PostgreSQL can enforce "no two held or confirmed bookings of
one specialist overlap" with an exclusion constraint (migration 0002); SQLite serialises writers
with IMMEDIATE transactions and the service re-checks inside them.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from accounts.models import ClientProfile, SpecialistProfile


def new_token() -> str:
    return secrets.token_urlsafe(24)


def new_uid() -> str:
    return f"{uuid.uuid4()}@tonic"


class Service(models.Model):
    """Something a client can book: a consultation, a private session."""

    class Audience(models.TextChoices):
        ANYONE = "anyone", "Anyone"
        EXISTING = "existing", "Existing clients only"

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    duration_minutes = models.PositiveIntegerField(default=55)
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    price = models.PositiveIntegerField(default=0, help_text="In minor units (cents).")
    deposit = models.PositiveIntegerField(default=0, help_text="In minor units; 0 = pay in full.")
    currency = models.CharField(max_length=3, default="USD")
    capacity = models.PositiveIntegerField(default=1)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ANYONE)
    intake_required = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    specialists = models.ManyToManyField(SpecialistProfile, blank=True, related_name="services")

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(deposit__lte=F("price")), name="service_deposit_le_price"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def amount_due_at_booking(self) -> int:
        """What is charged when booking: the deposit if there is one, else the full price."""
        return self.deposit or self.price

    @property
    def is_paid(self) -> bool:
        return self.price > 0


class WeeklyHours(models.Model):
    """A working range on a weekday, in the specialist's own time zone."""

    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(help_text="0 = Monday … 6 = Sunday")
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["specialist", "weekday", "start"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="weekly_hours_start_before_end"
            ),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.specialist} {self.get_weekday_display()} {self.start:%H:%M}-{self.end:%H:%M}"

    def get_weekday_display(self) -> str:
        return ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][self.weekday]


class DateOverride(models.Model):
    """A specialist's exception on one local date: extra hours, or the day blocked."""

    class Kind(models.TextChoices):
        EXTRA = "extra", "Extra hours"
        BLOCKED = "blocked", "Day off"

    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.CASCADE, related_name="date_overrides"
    )
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BLOCKED)
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="blocked")
                | Q(start__isnull=False, end__isnull=False, start__lt=F("end")),
                name="date_override_extra_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specialist} {self.date} {self.kind}"


class Closure(models.Model):
    """The whole studio is closed (holiday, maintenance)."""

    start = models.DateTimeField()
    end = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="closure_start_before_end")
        ]

    def __str__(self) -> str:
        return f"Closed {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}: {self.reason}"


class CalendarConnection(models.Model):
    """A specialist's external calendar: CalDAV (push + busy times) or an ICS URL (busy times)."""

    class Kind(models.TextChoices):
        CALDAV = "caldav", "CalDAV calendar"
        ICS = "ics", "ICS URL (read only)"

    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.CASCADE, related_name="calendar_connections"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=120, blank=True)
    url = models.URLField(max_length=500)
    username = models.CharField(max_length=200, blank=True)
    password_encrypted = models.TextField(blank=True)
    push_bookings = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    # Consecutive failed syncs: the periodic job backs off from a calendar that is down.
    failures = models.PositiveIntegerField(default=0)
    sync_requested_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.specialist}: {self.name or self.url}"


class BusyTime(models.Model):
    """Time taken in a specialist's own calendar, imported so nobody books over it."""

    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.CASCADE, related_name="busy_times"
    )
    connection = models.ForeignKey(
        CalendarConnection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="busy_times",
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    external_uid = models.CharField(max_length=300, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["specialist", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="busy_time_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialist} busy {self.start:%Y-%m-%d %H:%M}"


class Booking(models.Model):
    class Status(models.TextChoices):
        HELD = "held", "Held (awaiting payment)"
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class PaymentMethod(models.TextChoices):
        FREE = "free", "Free"
        STRIPE = "stripe", "Card (Stripe)"
        IN_STUDIO = "in_studio", "Pay at the studio"
        CREDITS = "credits", "Pass credits"

    BLOCKING = (Status.HELD, Status.CONFIRMED)
    # The client was given the time (reports count these as sessions, no-shows included).
    TOOK_PLACE = (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)

    client = models.ForeignKey(ClientProfile, on_delete=models.PROTECT, related_name="bookings")
    specialist = models.ForeignKey(
        SpecialistProfile, on_delete=models.PROTECT, related_name="bookings"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    price = models.PositiveIntegerField(default=0)
    amount_due = models.PositiveIntegerField(default=0, help_text="Charged when booking.")
    currency = models.CharField(max_length=3, default="USD")
    payment_method = models.CharField(
        max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.FREE
    )
    manage_token = models.CharField(max_length=64, unique=True, default=new_token)
    uid = models.CharField(max_length=120, unique=True, default=new_uid)
    sequence = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    late_cancellation = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A place in a group class (bookings/classes/): its specialist is the instructor, and the
    # no-overlap constraint leaves such rows out (many clients share the instructor's time).
    occurrence = models.ForeignKey(
        "bookings.ClassOccurrence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start"]
        indexes = [
            models.Index(fields=["specialist", "blocked_start", "blocked_end"]),
            models.Index(fields=["status", "hold_expires_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=F("start"), blocked_end__gte=F("end")),
                name="booking_blocked_covers_booking",
            ),
            models.UniqueConstraint(
                fields=["occurrence", "client"],
                condition=Q(status__in=["held", "confirmed"], occurrence__isnull=False),
                name="one_class_place_per_client",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.service} with {self.specialist} at {self.start:%Y-%m-%d %H:%M} ({self.status})"
        )


class BookingEvent(models.Model):
    """One change in a booking's life: created, confirmed, rescheduled, cancelled, ..."""

    class Kind(models.TextChoices):
        """Every kind of change recorded, with the words staff read in the booking's history."""

        CREATED = "created", "Booked"
        CONFIRMED = "confirmed", "Confirmed"
        RECONFIRMED = "reconfirmed", "Confirmed again (paid after the hold ended)"
        RESCHEDULED = "rescheduled", "Moved"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Marked completed"
        NO_SHOW = "no_show", "Marked as a no-show"
        HOLD_RELEASED = "hold_released", "Hold released (not paid in time)"
        HOLD_EXPIRED = "hold_expired", "Hold released (not paid in time)"  # before issue 14
        DESK_PAYMENT = "desk_payment", "Payment taken at the studio"
        DESK_REFUND = "desk_refund", "Money given back at the studio"
        REFUND_POLICY = "refund_policy", "Cancellation policy applied"
        REFUND_REQUESTED = "refund_requested", "Card refund asked for"
        PAYMENT_REFUND = "payment_refund", "Card refunded"
        PAYMENT_INTENT_CANCEL = "payment_intent_cancel", "Card payment cancelled"
        CREDIT_FORFEITED = "credit_forfeited", "Credit forfeited (late cancel or no-show)"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind}"


class Payment(models.Model):
    """Money for a booking through Stripe (one PaymentIntent per booking)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        SUCCEEDED = "succeeded", "Paid"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    payment_intent = models.CharField(max_length=120, unique=True)
    client_secret = models.CharField(max_length=200, blank=True)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.PENDING)
    amount_refunded = models.PositiveIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_refunded__lte=F("amount")), name="payment_refund_le_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payment_intent} {self.amount} {self.currency} {self.status}"


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    stripe_refund = models.CharField(max_length=120, unique=True)
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.stripe_refund} {self.amount}"


class StripeEvent(models.Model):
    """Each Stripe webhook event id, stored once in the same transaction as its effect."""

    event_id = models.CharField(max_length=120, unique=True)
    type = models.CharField(max_length=80)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class Reminder(models.Model):
    """One reminder for one booking. Claimed by setting `sent_at` before sending."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped (too late)"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        SMS = "sms", "SMS"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=40, help_text="e.g. before-1440 (24 h before)")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "channel"], name="reminder_once_per_booking_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind} {self.channel} {self.status}"


class CalendarFeed(models.Model):
    """A secret, revocable ICS feed URL: /calendar/<token>.ics."""

    class Kind(models.TextChoices):
        SPECIALIST = "specialist", "My schedule"
        CLIENT = "client", "My bookings"
        STUDIO = "studio", "Whole studio"
        PROGRAM = "program", "My practice sessions"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_feed_per_user_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} feed"


class CalendarPush(models.Model):
    """A booking as pushed to one CalDAV calendar: where it lives there and what was sent."""

    connection = models.ForeignKey(
        CalendarConnection, on_delete=models.CASCADE, related_name="pushes"
    )
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="calendar_pushes")
    href = models.CharField(max_length=500)
    sequence = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, help_text="The event STATUS pushed.")
    pushed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "booking"], name="one_push_per_connection_booking"
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} -> {self.connection_id} (seq {self.sequence})"


class PracticeNudge(models.Model):
    """One practice nudge e-mail to a client (bookings/reminders/nudges.py). The row is the
    claim: inserted before sending, unique per client and day, so two workers or a rerun never
    nudge twice; the rows of the last N days stop a new nudge."""

    client = models.ForeignKey(
        "accounts.ClientProfile", on_delete=models.CASCADE, related_name="practice_nudges"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="practice_nudges"
    )
    day = models.DateField(help_text="The client's local date of the nudge.")
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["client", "day"], name="one_practice_nudge_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.client_id} nudge {self.day}"


# Classes, the desk and passes live in their own packages; importing their models here registers
# them with this app.
from .classes.models import (  # noqa: E402, F401
    ClassCheckIn,
    ClassOccurrence,
    ClassSeries,
    ClassType,
    Resource,
    ResourceUnit,
    ServiceResource,
    UnitClaim,
    WaitlistEntry,
    WaitlistOffer,
)
from .desk.models import DeskPayment  # noqa: E402, F401
from .passes.models import CreditEntry, Pass, Purchase  # noqa: E402, F401
