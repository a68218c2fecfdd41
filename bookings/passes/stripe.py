"""The Stripe calls of passes: a PaymentIntent per pack, and for a membership a Customer, a
SetupIntent (the card, through the Payment Element), a Product and Plan per pass and a
Subscription (localstripe implements these; it has no Prices, so neither do we).

Every create carries an idempotency key made of the purchase's never-reused uid, so a call
that timed out after Stripe acted is replayed, not repeated. Nothing here runs inside a
database transaction (see bookings/payments.py for why).
"""

from __future__ import annotations

import stripe

from ..payments.stripe_client import as_dict, call, stripe_client
from .models import Pass, Purchase


def _key(purchase: Purchase, what: str) -> dict:
    return {"idempotency_key": f"tonic-pass-{what}-{purchase.uid}"}


def _metadata(purchase: Purchase) -> dict:
    return {"purchase": str(purchase.pk), "purchase_uid": purchase.uid}


def pack_intent_create(purchase: Purchase, *, retries: int = 0) -> dict:
    """The pack's PaymentIntent (one per purchase). Raises StripeUnavailable."""
    return as_dict(
        call(
            stripe_client(retries=retries).v1.payment_intents.create,
            params={
                "amount": purchase.amount,
                "currency": purchase.currency.lower(),
                "metadata": _metadata(purchase),
            },
            options=_key(purchase, "pi"),
        )
    )


def customer_and_setup_create(purchase: Purchase, *, email: str, name: str) -> tuple[str, dict]:
    """A Customer for the membership and a SetupIntent to collect its card."""
    client = stripe_client(retries=0)
    customer = as_dict(
        call(
            client.v1.customers.create,
            params={"email": email, "name": name, "metadata": _metadata(purchase)},
            options=_key(purchase, "cus"),
        )
    )
    setup = as_dict(
        call(
            client.v1.setup_intents.create,
            params={"customer": customer["id"], "metadata": _metadata(purchase)},
            options=_key(purchase, "seti"),
        )
    )
    return customer["id"], setup


def plan_ensure(pass_type: Pass) -> str:
    """The pass's monthly Plan at Stripe (and its Product), created once and remembered."""
    if pass_type.stripe_plan:
        return pass_type.stripe_plan
    client = stripe_client()
    key = {"idempotency_key": f"tonic-pass-plan-{pass_type.slug}-{pass_type.price}"}
    product = as_dict(call(client.v1.products.create, params={"name": pass_type.name}))
    plan = as_dict(
        call(
            client.v1.plans.create,
            params={
                "amount": pass_type.price,
                "currency": pass_type.currency.lower(),
                "interval": "month",
                "product": product["id"],
                "metadata": {"pass": pass_type.slug},
            },
            options=key,
        )
    )
    Pass.objects.filter(pk=pass_type.pk).update(
        stripe_product=product["id"], stripe_plan=plan["id"]
    )
    pass_type.stripe_product, pass_type.stripe_plan = product["id"], plan["id"]
    return plan["id"]


def subscription_create(purchase: Purchase, *, payment_method: str) -> dict:
    """Make the card the customer's default and subscribe them to the pass's plan; Stripe
    bills the first period at once (its `invoice.paid` grants the credits)."""
    client = stripe_client()
    plan = plan_ensure(purchase.pass_type)
    try:
        call(
            client.v1.payment_methods.attach,
            payment_method,
            params={"customer": purchase.stripe_customer},
        )
    except stripe.InvalidRequestError:  # attached already (a retried request)
        pass
    call(
        client.v1.customers.update,
        purchase.stripe_customer,
        params={"invoice_settings": {"default_payment_method": payment_method}},
    )
    return as_dict(
        call(
            client.v1.subscriptions.create,
            params={
                "customer": purchase.stripe_customer,
                "items": [{"plan": plan}],
                "metadata": _metadata(purchase),
            },
            options=_key(purchase, "sub"),
        )
    )


def subscription_cancel(purchase: Purchase) -> dict:
    return as_dict(
        call(stripe_client().v1.subscriptions.cancel, purchase.stripe_subscription or "")
    )


def _retrieve(method, object_id: str) -> dict | None:
    """An object as Stripe has it now; None if Stripe does not know it."""
    try:
        return as_dict(call(method, object_id))
    except stripe.InvalidRequestError as exc:
        if exc.http_status == 404:
            return None
        raise


def intent_retrieve(intent_id: str) -> dict | None:
    return _retrieve(stripe_client().v1.payment_intents.retrieve, intent_id)


def invoice_retrieve(invoice_id: str) -> dict | None:
    return _retrieve(stripe_client().v1.invoices.retrieve, invoice_id)


def subscription_retrieve(subscription_id: str) -> dict | None:
    return _retrieve(stripe_client().v1.subscriptions.retrieve, subscription_id)


def setup_intent_retrieve(setup_intent_id: str) -> dict | None:
    return _retrieve(stripe_client().v1.setup_intents.retrieve, setup_intent_id)


def refunded_total(payment_intent: str) -> int:
    """What Stripe has refunded of this PaymentIntent (pending refunds count)."""
    found = call(
        stripe_client().v1.refunds.list, params={"payment_intent": payment_intent, "limit": 100}
    )
    return sum(
        r["amount"]
        for r in (as_dict(r) for r in found.data)
        if r.get("status") in ("succeeded", "pending")
    )


def refund_create(purchase: Purchase) -> dict:
    """Refund the whole pack at Stripe (idempotent per purchase)."""
    return as_dict(
        call(
            stripe_client().v1.refunds.create,
            params={"payment_intent": purchase.payment_intent, "metadata": _metadata(purchase)},
            options=_key(purchase, "refund"),
        )
    )
