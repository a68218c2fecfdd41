"""DeskPayment: one sum of money taken at the desk for a booking, or given back."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class DeskPayment(models.Model):
    """Money staff took (kind `payment`) or gave back (kind `refund`) at the studio, with who
    and when. Rows are never edited: a mistake is corrected by a refund row."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", "Payment"
        REFUND = "refund", "Refund"

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD_TERMINAL = "card_terminal", "Card terminal"
        OTHER = "other", "Other"

    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, related_name="desk_payments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    method = models.CharField(max_length=20, choices=Method.choices)
    amount = models.PositiveIntegerField(help_text="In minor units of the booking's currency.")
    currency = models.CharField(max_length=3)
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "bookings"
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="desk_payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind} {self.amount} {self.currency} ({self.method})"
