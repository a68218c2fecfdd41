"""The one configured Stripe client, how Tonic names its idempotency keys, and the record of
Stripe events already applied (a webhook or a refunds sync acts once per event id).

`STRIPE_API_BASE` points the client at another server (localstripe in tests). Calls time out
after `STRIPE_TIMEOUT_SECONDS` and are retried once by the library with the same idempotency
key, so a request that times out after Stripe acted is replayed, not repeated. No caller talks
to Stripe inside a database transaction: a Stripe that hangs would hold every other writer.
"""

import stripe
from django.conf import settings

from bookings.models import StripeEvent


def stripe_client(*, retries: int = 1) -> stripe.StripeClient:
    """A StripeClient for the configured key and API base (never cached: settings may change)."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE.rstrip("/")}
        if settings.STRIPE_API_BASE
        else None,
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
    )


def intent_key(booking) -> str:
    """Idempotency key of a booking's PaymentIntent: the booking's never-reused UID."""
    return f"tonic-pi-{booking.uid}"


def as_dict(obj) -> dict:
    """A Stripe object as a plain dict (stripe >= 15 objects are not dicts)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused our credentials; try again later."""


def call(method, *args, **kwargs):
    """Call a StripeClient method; outages and auth failures become StripeUnavailable.

    An InvalidRequestError (Stripe understood and refused, e.g. cancelling a paid intent) is
    left for the caller, which knows what that refusal means.
    """
    try:
        return method(*args, **kwargs)
    except (
        stripe.APIConnectionError,
        stripe.RateLimitError,
        stripe.AuthenticationError,
        stripe.PermissionError,
    ) as exc:
        raise StripeUnavailable(str(exc)) from exc
    except stripe.APIError as exc:  # 5xx from Stripe
        raise StripeUnavailable(str(exc)) from exc


def event_claim(event_id: str | None, event_type: str) -> bool:
    """Record a webhook event id (unique) in the caller's transaction; False if seen before."""
    if not event_id:
        return True
    _, created = StripeEvent.objects.get_or_create(event_id=event_id, defaults={"type": event_type})
    return created
