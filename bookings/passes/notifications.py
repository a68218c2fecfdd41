"""E-mails about passes, sent through the outbox (studio/outbox.py) after the change commits."""

from django.conf import settings
from django.core.mail import send_mail

from accounts.models import Studio

from .models import Purchase


def pass_renewal_failed_notify(*, purchase_id: int) -> bool:
    """Tell a client their membership renewal failed and credit booking waits for it; skipped
    when the membership has been paid meanwhile (the news no longer holds)."""
    purchase = Purchase.objects.select_related("client__user", "pass_type").get(pk=purchase_id)
    if purchase.status != Purchase.Status.PAST_DUE:
        return False
    studio = Studio.get()
    send_mail(
        subject=f"{studio.name}: your {purchase.pass_type.name} payment did not go through",
        message=(
            f"Hello {purchase.client.user.first_name or 'there'},\n\n"
            f"We could not take this month's payment for your {purchase.pass_type.name}. "
            "Booking with its credits is paused until the payment goes through; Stripe will "
            "try your card again, or you can update it from your portal:\n\n"
            f"{settings.SITE_URL}/portal/credits/\n\n{studio.name}\n"
        ),
        from_email=None,
        recipient_list=[purchase.client.user.email],
    )
    return True
