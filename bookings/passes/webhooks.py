"""The Stripe events about passes, handed over by the one endpoint (bookings/stripe_webhooks.py)
after it verified the signature. The payload only says which object changed: it is re-read
from Stripe before anything is applied (services.py applies it once per event id)."""

from __future__ import annotations

import logging

from django.http import JsonResponse

from ..payments.stripe_client import StripeUnavailable
from . import services
from . import stripe as passes_stripe
from .models import Purchase

log = logging.getLogger(__name__)

INVOICE_EVENTS = {"invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed"}
SUBSCRIPTION_EVENTS = {"customer.subscription.updated", "customer.subscription.deleted"}
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}


def _id(value) -> str:
    """An object id, whether Stripe sent it bare or expanded."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _pack_intent(event: dict) -> str:
    """The PaymentIntent of a pack this event is about, or ""."""
    obj = event["data"]["object"]
    if event["type"].startswith("payment_intent."):
        intent = _id(obj.get("id"))
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ours = "purchase_uid" in meta or Purchase.objects.filter(payment_intent=intent).exists()
        return intent if intent.startswith("pi_") and ours else ""
    if event["type"] in REFUND_EVENTS:
        intent = _id(obj.get("payment_intent"))
        return intent if intent and Purchase.objects.filter(payment_intent=intent).exists() else ""
    return ""


def _ours(subscription) -> bool:
    return services.purchase_for_subscription(_id(subscription)) is not None


def passes_event(event: dict) -> JsonResponse | None:
    """Apply an event about a pass; None when it is not one (the bookings' handlers go on)."""
    kind, obj = event["type"], event["data"]["object"]
    try:
        intent = _pack_intent(event)
        if intent and kind.startswith("payment_intent."):
            fresh = passes_stripe.intent_retrieve(intent) or {"id": intent}
            services.pack_apply_intent(intent=fresh, event_id=event["id"], event_type=kind)
        elif intent:
            purchase = Purchase.objects.get(payment_intent=intent)
            services.pack_refunds_sync(purchase=purchase, event_id=event["id"], event_type=kind)
        elif kind in INVOICE_EVENTS and _ours(obj.get("subscription")):
            invoice = passes_stripe.invoice_retrieve(_id(obj.get("id")))
            if invoice is not None:
                services.membership_apply_invoice(
                    invoice=invoice, event_id=event["id"], event_type=kind
                )
        elif kind in SUBSCRIPTION_EVENTS and _ours(obj.get("id")):
            subscription = _id(obj.get("id"))
            # A deleted subscription may be gone from Stripe: it is cancelled all the same.
            current = passes_stripe.subscription_retrieve(subscription) or {
                "id": subscription,
                "status": "canceled",
            }
            services.membership_apply_subscription(
                subscription=current, event_id=event["id"], event_type=kind
            )
        else:
            return None
    except StripeUnavailable as exc:
        log.warning("stripe webhook %s: Stripe unreachable: %s", event["id"], exc)
        return JsonResponse({"detail": "Stripe is unreachable; try again."}, status=503)
    return JsonResponse({"status": "ok"})
