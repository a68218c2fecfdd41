"""Buying passes and applying what Stripe says about them, each piece of news once.

A purchase row commits first (pending); Stripe is asked afterwards, outside the transaction.
Credits are granted only from an object re-read from Stripe: a paid PaymentIntent (packs) or
a paid invoice (memberships, one grant per invoice: Stripe bills one per period). Events may
come in any order and any number of times: each event id is claimed in the transaction of its
effect, a grant is unique per PaymentIntent or invoice, and statuses only move forward.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import ClientProfile, User
from studio.kernel.errors import Conflict, NotAllowed, Unavailable
from studio.kernel.outbox import outbox_add

from ..payments.services import stripe_enabled
from ..payments.stripe_client import StripeUnavailable, event_claim
from . import stripe as passes_stripe
from .ledger import credit_grant, credits_revoke_unused, lock_client
from .models import Pass, Purchase
from .selectors import client_is_new

log = logging.getLogger(__name__)
Status = Purchase.Status


def pay_url(purchase: Purchase) -> str:
    return settings.SITE_URL + reverse("passes-pay", args=[purchase.token])


@contextmanager
def stripe_answers() -> Iterator[None]:
    """Stripe's refusals and outages as the API's answers: 409 and 503, never a 500."""
    try:
        yield
    except StripeUnavailable as exc:
        raise Unavailable("Stripe cannot be reached; please try again in a moment.") from exc
    except stripe.InvalidRequestError as exc:
        raise Conflict(f"Stripe refused: {exc.user_message or 'the request'}.") from exc


# --- buying -----------------------------------------------------------------------------------


def purchase_start(*, pass_type: Pass, client: ClientProfile, by: User | None) -> tuple:
    """Start buying a pass: (purchase, the API's `payment` object). Raises Conflict (Stripe
    off, or an intro offer this client may not take)."""
    if not stripe_enabled():
        raise Conflict("Passes are paid online, and card payments are not set up.")
    purchase = _purchase_open(pass_type=pass_type, client=client, by=by)
    return purchase, purchase_payment(purchase)


@transaction.atomic
def _purchase_open(*, pass_type: Pass, client: ClientProfile, by: User | None) -> Purchase:
    """The client's unpaid purchase of this pass, or a new one. Two tabs share one purchase;
    an intro offer is checked under the client's lock (and a unique constraint)."""
    lock_client(client.pk)
    pending = Purchase.objects.filter(client=client, pass_type=pass_type, status=Status.PENDING)
    found = pending.order_by("-pk").first()
    if found is not None:
        return found
    if pass_type.intro_offer and not client_is_new(client_id=client.pk):
        raise NotAllowed("The intro offer is for your first visit only.")
    if (
        pass_type.intro_offer
        and Purchase.objects.filter(client=client, is_intro=True)
        .exclude(status=Status.CANCELLED)
        .exists()
    ):
        raise NotAllowed("The intro offer is for your first visit only.")
    return Purchase.objects.create(
        client=client,
        pass_type=pass_type,
        is_intro=pass_type.intro_offer,
        amount=pass_type.price,
        currency=pass_type.currency,
        created_by=by,
    )


def _may_take_intro(client: ClientProfile) -> bool:
    """New to the studio, and no other intro offer started (one_intro_purchase_per_client)."""
    started = Purchase.objects.filter(client=client, is_intro=True).exclude(status=Status.CANCELLED)
    return client_is_new(client_id=client.pk) and not started.exists()


def purchase_payment(purchase: Purchase) -> dict:
    """The API's `payment` object, creating the Stripe side on first use; with Stripe
    unreachable its ids are null and `status` is "unavailable" (the pay page tries again)."""
    try:
        if purchase.pass_type.kind == Pass.Kind.PACK:
            _pack_intent_ensure(purchase)
        else:
            _membership_setup_ensure(purchase)
        unavailable = False
    except StripeUnavailable as exc:
        log.warning("stripe unavailable starting purchase %s: %s", purchase.pk, exc)
        unavailable = True
    body = {
        "method": "stripe",
        "amount": purchase.amount,
        "currency": purchase.currency,
        "client_secret": purchase.client_secret or None,
        "pay_url": pay_url(purchase),
        "status": "unavailable" if unavailable else purchase.status,
    }
    if purchase.pass_type.kind == Pass.Kind.PACK:
        return body | {"payment_intent": purchase.payment_intent}
    return body | {
        "customer": purchase.stripe_customer or None,
        "setup_intent": purchase.setup_intent or None,
        "subscription": purchase.stripe_subscription,
        "interval": "month",
    }


def _pack_intent_ensure(purchase: Purchase) -> None:
    if purchase.payment_intent:
        return
    intent = passes_stripe.pack_intent_create(purchase)
    Purchase.objects.filter(pk=purchase.pk, payment_intent__isnull=True).update(
        payment_intent=intent["id"], client_secret=intent["client_secret"]
    )
    purchase.refresh_from_db()


def _membership_setup_ensure(purchase: Purchase) -> None:
    if purchase.setup_intent:
        return
    user = purchase.client.user
    customer, setup = passes_stripe.customer_and_setup_create(
        purchase, email=user.email, name=user.get_full_name()
    )
    Purchase.objects.filter(pk=purchase.pk, setup_intent="").update(
        stripe_customer=customer, setup_intent=setup["id"], client_secret=setup["client_secret"]
    )
    purchase.refresh_from_db()


def membership_subscribe(*, purchase: Purchase, payment_method: str | None = None) -> Purchase:
    """Subscribe once the card is saved (`payment_method`, or the SetupIntent's). Stripe bills
    the first month at once; its invoice, re-read here and in the webhook, grants the credits.
    Repeat calls are harmless. Raises Conflict, StripeUnavailable."""
    if purchase.pass_type.kind != Pass.Kind.MEMBERSHIP or not purchase.stripe_customer:
        raise Conflict("This purchase is not a membership waiting for a card.")
    if purchase.stripe_subscription:
        return purchase
    with stripe_answers():
        payment_method = payment_method or _saved_card(purchase)
        subscription = passes_stripe.subscription_create(purchase, payment_method=payment_method)
    Purchase.objects.filter(pk=purchase.pk, stripe_subscription__isnull=True).update(
        stripe_subscription=subscription["id"]
    )
    purchase.refresh_from_db()
    invoice_id = subscription.get("latest_invoice")
    if isinstance(invoice_id, dict):
        invoice_id = invoice_id.get("id")
    with stripe_answers():
        invoice = passes_stripe.invoice_retrieve(invoice_id) if invoice_id else None
    if invoice is not None:
        membership_apply_invoice(invoice=invoice)
    return purchase


def _saved_card(purchase: Purchase) -> str:
    """The payment method the membership's SetupIntent saved. Raises Conflict."""
    setup = passes_stripe.setup_intent_retrieve(purchase.setup_intent) or {}
    card = setup.get("payment_method") if setup.get("status") == "succeeded" else None
    if isinstance(card, dict):
        card = card.get("id")
    if not card:
        raise Conflict("The card is not saved yet.")
    return card


def membership_cancel(*, purchase: Purchase, by: User | None) -> Purchase:
    """End a membership at Stripe; credits already granted stay until their period ends."""
    if purchase.status not in (Status.ACTIVE, Status.PAST_DUE):
        raise Conflict("This membership is not running.")
    with stripe_answers():
        passes_stripe.subscription_cancel(purchase)
    Purchase.objects.filter(pk=purchase.pk).update(status=Status.CANCELLED)
    purchase.refresh_from_db()
    return purchase


# --- Stripe's news ----------------------------------------------------------------------------


def purchase_for_intent(intent: dict) -> Purchase | None:
    """The purchase a PaymentIntent pays for: by its id, or (the create answer was lost) by
    the purchase uid in its metadata, never by an id alone."""
    found = Purchase.objects.filter(payment_intent=intent.get("id") or "-").first()
    if found is not None:
        return found
    meta = intent.get("metadata") or {}
    found = Purchase.objects.filter(uid=meta.get("purchase_uid") or "-").first()
    if found is None or str(found.pk) != str(meta.get("purchase")):
        return None
    Purchase.objects.filter(pk=found.pk, payment_intent__isnull=True).update(
        payment_intent=intent["id"], client_secret=intent.get("client_secret") or ""
    )
    return found


@transaction.atomic
def pack_apply_intent(*, intent: dict, event_id: str | None = None, event_type: str = "") -> bool:
    """Apply a freshly read PaymentIntent to its pack purchase: a success grants the pack's
    credits, once. Returns whether credits were granted now."""
    if not event_claim(event_id, event_type):
        return False
    found = purchase_for_intent(intent)
    if found is None:
        return False
    purchase = Purchase.objects.select_for_update().select_related("pass_type").get(pk=found.pk)
    status = intent.get("status")
    if status == "canceled" and purchase.status == Status.PENDING:
        purchase.status = Status.CANCELLED
        purchase.save(update_fields=["status", "updated"])
    if status != "succeeded" or purchase.paid_at is not None:
        return False
    purchase.paid_at = timezone.now()
    purchase.status = Status.PAID
    purchase.save(update_fields=["paid_at", "status", "updated"])
    pass_type = purchase.pass_type
    _, created = credit_grant(
        client_id=purchase.client_id,
        amount=pass_type.credits,
        expires_at=purchase.paid_at + timedelta(days=pass_type.valid_days),
        purchase=purchase,
        source=intent["id"],
        reason=f"Bought {pass_type.name}",
    )
    return created


def pack_refunds_sync(
    *, purchase: Purchase, event_id: str | None = None, event_type: str = ""
) -> int:
    """Read the pack's refunds from Stripe; once refunded, its unused credits are taken back.
    Returns how many credits were taken. Raises StripeUnavailable."""
    refunded = passes_stripe.refunded_total(purchase.payment_intent or "")
    with transaction.atomic():
        if not event_claim(event_id, event_type):
            return 0
        purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if refunded <= purchase.amount_refunded:
            return 0
        purchase.amount_refunded = min(refunded, purchase.amount)
        purchase.status = Status.REFUNDED
        purchase.save(update_fields=["amount_refunded", "status", "updated"])
        return credits_revoke_unused(purchase=purchase, reason="Pack refunded")


def pack_refund(*, purchase: Purchase, by: User) -> int:
    """Staff refund a whole pack at Stripe; its unused credits are taken back. Raises
    NotAllowed, Conflict, StripeUnavailable."""
    if not by.is_owner:
        raise NotAllowed("Only the owner refunds passes.")
    if purchase.pass_type.kind != Pass.Kind.PACK or purchase.paid_at is None:
        raise Conflict("Only a paid pack can be refunded.")
    with stripe_answers():
        passes_stripe.refund_create(purchase)
        return pack_refunds_sync(purchase=purchase)


def _period_end(invoice: dict) -> datetime | None:
    """The end of the billing period an invoice pays for (its subscription line's period)."""
    lines = (invoice.get("lines") or {}).get("data") or []
    ends = [line.get("period", {}).get("end") for line in lines if line.get("period")]
    end = max((e for e in ends if e), default=None) or invoice.get("period_end")
    return datetime.fromtimestamp(end, tz=UTC) if end else None


def purchase_for_subscription(subscription_id: str | None) -> Purchase | None:
    if not subscription_id:
        return None
    return Purchase.objects.filter(stripe_subscription=subscription_id).first()


@transaction.atomic
def membership_apply_invoice(
    *, invoice: dict, event_id: str | None = None, event_type: str = ""
) -> bool:
    """Apply a freshly read invoice of a membership: paid grants the period's credits once (per
    invoice) and (re)activates; unpaid after an attempt pauses credit booking and tells the
    client. Returns whether credits were granted now."""
    if not event_claim(event_id, event_type):
        return False
    found = purchase_for_subscription(invoice.get("subscription"))
    if found is None:
        return False
    purchase = Purchase.objects.select_for_update().select_related("pass_type").get(pk=found.pk)
    if invoice.get("status") != "paid":
        if invoice.get("attempted") and purchase.status == Status.ACTIVE:
            purchase.status = Status.PAST_DUE
            purchase.save(update_fields=["status", "updated"])
            _tell_renewal_failed(purchase)
        return False
    period_end = _period_end(invoice)
    if purchase.status in (Status.PENDING, Status.PAST_DUE):
        purchase.status = Status.ACTIVE
    purchase.paid_at = purchase.paid_at or timezone.now()
    if period_end and (
        purchase.current_period_end is None or period_end > purchase.current_period_end
    ):
        purchase.current_period_end = period_end
    purchase.save(update_fields=["status", "paid_at", "current_period_end", "updated"])
    pass_type = purchase.pass_type
    if pass_type.unlimited or not pass_type.credits:
        return False
    _, created = credit_grant(
        client_id=purchase.client_id,
        amount=pass_type.credits,
        expires_at=period_end,
        purchase=purchase,
        source=invoice["id"],
        reason=f"{pass_type.name}: this month's credits",
    )
    return created


@transaction.atomic
def membership_apply_subscription(
    *, subscription: dict, event_id: str | None = None, event_type: str = ""
) -> None:
    """Follow a re-read Subscription's status: past due pauses, cancelled ends."""
    if not event_claim(event_id, event_type):
        return
    found = purchase_for_subscription(subscription.get("id"))
    if found is None:
        return
    purchase = Purchase.objects.select_for_update().get(pk=found.pk)
    status = subscription.get("status")
    new = {"past_due": Status.PAST_DUE, "unpaid": Status.PAST_DUE, "canceled": Status.CANCELLED}
    if status in new and purchase.status in (Status.ACTIVE, Status.PAST_DUE):
        if new[status] == Status.PAST_DUE and purchase.status == Status.ACTIVE:
            _tell_renewal_failed(purchase)
        purchase.status = new[status]
        purchase.save(update_fields=["status", "updated"])


def _tell_renewal_failed(purchase: Purchase) -> None:
    """E-mail the client (through the outbox, after commit) that booking with credits waits."""
    outbox_add(
        kind="pass_renewal_failed",
        payload={"purchase_id": purchase.pk},
        key=f"pass-renewal-failed-{purchase.pk}-{purchase.current_period_end}",
        about=f"purchase:{purchase.pk}",
    )
