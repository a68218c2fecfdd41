"""POST /webhooks/stripe/: verify, then re-read from Stripe and apply once per event id.

The payload is only trusted for which object changed: the PaymentIntent (or its refunds) is
read again from Stripe, so a forged-but-signed, stale or out-of-order event cannot move money
state backwards. The event id is stored (unique) in the same transaction as its effect; an
error rolls both back and Stripe delivers again. Answers: 200 applied / repeated / ignored
type, 400 bad signature, stale timestamp or malformed body, 503 Stripe unreachable (retry).
"""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bookings.models import StripeEvent
from bookings.payments.refunds import payment_refunds_sync
from bookings.payments.stripe_client import StripeUnavailable, event_claim
from bookings.payments.sync import intent_retrieve, payment_apply_intent
from studio.kernel import parsers

log = logging.getLogger(__name__)

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "payment_intent.processing",
    "payment_intent.requires_action",
}
REFUND_EVENTS = {"charge.refunded", "charge.refund.updated", "refund.created", "refund.updated"}


class Malformed(ValueError):
    pass


def _bad(detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=400)


def _verified_event(request) -> dict:
    header = request.headers.get("Stripe-Signature")
    if not header:
        raise stripe.SignatureVerificationError("No Stripe-Signature header.", header)
    payload = request.body.decode("utf-8", errors="replace")
    # Default tolerance (300 s): an old timestamp is refused like a bad signature.
    stripe.WebhookSignature.verify_header(
        payload, header, settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
    )
    try:
        event = parsers.loads(payload)
    except ValueError as exc:  # not JSON, or nested too deep to be an event
        raise Malformed("The body is not JSON.") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise Malformed("The body is not a Stripe event.")
    obj = (event.get("data") or {}).get("object") if isinstance(event.get("data"), dict) else None
    if not isinstance(event.get("type"), str) or not isinstance(obj, dict):
        raise Malformed("The event has no type or object.")
    return event


def _intent_id(event: dict) -> str:
    obj = event["data"]["object"]
    found = obj.get("id") if event["type"] in INTENT_EVENTS else obj.get("payment_intent")
    if isinstance(found, dict):  # an expanded object
        found = found.get("id")
    if not isinstance(found, str) or not found.startswith("pi_"):
        raise Malformed("The event names no PaymentIntent.")
    return found


@csrf_exempt
@require_POST
def stripe_webhook(request):
    if not settings.STRIPE_WEBHOOK_SECRET:
        return _bad("Stripe webhooks are not configured.")
    try:
        event = _verified_event(request)
        known = event["type"] in INTENT_EVENTS or event["type"] in REFUND_EVENTS
        intent_id = _intent_id(event) if known else ""
    except stripe.SignatureVerificationError:
        return _bad("Invalid signature or timestamp.")
    except Malformed as exc:
        return _bad(str(exc))
    if not known:
        return JsonResponse({"status": "ignored"})
    if StripeEvent.objects.filter(event_id=event["id"]).exists():
        return JsonResponse({"status": "duplicate"})
    try:
        if event["type"] in INTENT_EVENTS:
            intent = intent_retrieve(intent_id)
            if intent is None:
                with transaction.atomic():
                    event_claim(event["id"], event["type"])
                return JsonResponse({"status": "unknown intent"})
            payment_apply_intent(intent=intent, event_id=event["id"], event_type=event["type"])
        else:
            payment_refunds_sync(
                payment_intent=intent_id, event_id=event["id"], event_type=event["type"]
            )
    except StripeUnavailable as exc:
        log.warning("stripe webhook %s: Stripe unreachable: %s", event["id"], exc)
        return JsonResponse({"detail": "Stripe is unreachable; try again."}, status=503)
    return JsonResponse({"status": "ok"})
