"""Passes (packs, memberships, intro offers), their purchases and the append-only credit ledger.

The ledger (`CreditEntry`) is never updated or deleted: a change is a new row. Positive rows
without a bucket (a grant, or a staff adjustment that adds) are *buckets*: credits with one
expiry and one origin. Every other row points at its bucket (a consume, restore, expire or
taking adjustment), so a bucket's remaining credits are its amount plus its moves, and the
balance is the sum over live buckets. What one row can promise, the database enforces: one
consume and one restore per booking, one grant per Stripe payment or invoice, one expiry per
bucket. "Never below zero" is a rule across rows: ledger.py locks the client's row first.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_purchase_token() -> str:
    return secrets.token_urlsafe(24)


def new_purchase_uid() -> str:
    return f"{uuid.uuid4()}@tonic-pass"


class Pass(models.Model):
    """Something a client buys to pay for sessions: a pack of credits or a monthly membership."""

    class Kind(models.TextChoices):
        PACK = "pack", "Class pack"
        MEMBERSHIP = "membership", "Membership"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PACK)
    credits = models.PositiveIntegerField(
        default=0, help_text="Per pack, or per billing period of a membership."
    )
    unlimited = models.BooleanField(
        default=False, help_text="A membership that books without consuming credits."
    )
    valid_days = models.PositiveIntegerField(
        default=90, help_text="A pack's credits expire this many days after payment."
    )
    price = models.PositiveIntegerField(help_text="In minor units; per month for memberships.")
    currency = models.CharField(max_length=3, default="USD")
    intro_offer = models.BooleanField(
        default=False, help_text="Once per client, only for someone new to the studio."
    )
    services = models.ManyToManyField(
        "bookings.Service", blank=True, related_name="passes", help_text="What it pays for."
    )
    class_types = models.ManyToManyField(
        "bookings.ClassType", blank=True, related_name="passes", help_text="Classes it pays for."
    )
    is_active = models.BooleanField(default=True)
    position = models.PositiveIntegerField(default=0)
    stripe_product = models.CharField(max_length=120, blank=True)
    stripe_plan = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["position", "price", "name"]
        verbose_name_plural = "passes"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="membership") | Q(unlimited=False, credits__gt=0),
                name="pass_pack_has_credits",
            ),
            models.CheckConstraint(condition=Q(valid_days__gt=0), name="pass_valid_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Purchase(models.Model):
    """One client's purchase of a pass: a paid PaymentIntent, or a Stripe Subscription."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Renewal failed"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    # Credits of a cancelled membership were paid for: they stay usable until they expire.
    USABLE = (Status.PAID, Status.ACTIVE, Status.CANCELLED)

    client = models.ForeignKey(
        "accounts.ClientProfile", on_delete=models.PROTECT, related_name="pass_purchases"
    )
    pass_type = models.ForeignKey(Pass, on_delete=models.PROTECT, related_name="purchases")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    is_intro = models.BooleanField(default=False)
    amount = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    uid = models.CharField(max_length=120, unique=True, default=new_purchase_uid)
    token = models.CharField(max_length=64, unique=True, default=new_purchase_token)
    payment_intent = models.CharField(max_length=120, unique=True, null=True, blank=True)
    client_secret = models.CharField(max_length=200, blank=True)
    stripe_customer = models.CharField(max_length=120, blank=True)
    setup_intent = models.CharField(max_length=120, blank=True)
    stripe_subscription = models.CharField(max_length=120, unique=True, null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    amount_refunded = models.PositiveIntegerField(default=0)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-pk"]
        constraints = [
            # An intro offer once per client (an abandoned, never-paid attempt aside).
            models.UniqueConstraint(
                fields=["client"],
                condition=Q(is_intro=True) & ~Q(status="cancelled"),
                name="one_intro_purchase_per_client",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pass_type} for client {self.client_id} ({self.status})"


class CreditEntry(models.Model):
    """One line of a client's credit ledger; append-only (see the module's docstring)."""

    class Kind(models.TextChoices):
        GRANT = "grant", "Granted"
        CONSUME = "consume", "Used"
        RESTORE = "restore", "Given back"
        EXPIRE = "expire", "Expired"
        ADJUST = "adjust", "Adjusted"

    client = models.ForeignKey(
        "accounts.ClientProfile", on_delete=models.PROTECT, related_name="credit_entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.IntegerField()
    bucket = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="moves"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    booking = models.ForeignKey(
        "bookings.Booking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_entries",
    )
    purchase = models.ForeignKey(
        Purchase, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_entries"
    )
    source = models.CharField(
        max_length=120, blank=True, help_text="The Stripe PaymentIntent or invoice of a grant."
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name_plural = "credit entries"
        indexes = [models.Index(fields=["client", "created"])]
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind="consume"),
                name="one_credit_consume_per_booking",
            ),
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(kind="restore"),
                name="one_credit_restore_per_booking",
            ),
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(kind="grant") & ~Q(source=""),
                name="one_credit_grant_per_source",
            ),
            models.UniqueConstraint(
                fields=["bucket"], condition=Q(kind="expire"), name="one_credit_expiry_per_bucket"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["grant", "restore"], amount__gte=0)
                | Q(kind__in=["consume", "expire"], amount__lte=0)
                | Q(kind="adjust"),
                name="credit_entry_sign_fits_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="grant") | Q(bucket__isnull=True, amount__gt=0),
                name="credit_grant_is_a_bucket",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["consume", "restore"]) | Q(booking__isnull=False),
                name="credit_use_names_its_booking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.kind} {self.amount:+d}"

    def save(self, *args, **kwargs):
        """Append-only: a ledger row is written once."""
        if not self._state.adding:
            raise ValueError("Credit ledger entries are never changed; add a new entry.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Credit ledger entries are never deleted; add a new entry.")
