"""Fixtures for passes: a class service, a 10-class pack covering it, and granted credits."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bookings.passes.ledger import credit_grant
from bookings.passes.models import Pass, Purchase
from tests import factories


def make_pass(slug="ten-classes", *, services=(), **fields) -> Pass:
    defaults = {
        "name": "10 classes",
        "kind": "pack",
        "credits": 10,
        "valid_days": 90,
        "price": 20000,
    }
    pass_type = Pass.objects.create(slug=slug, **(defaults | fields))
    pass_type.services.set(services)
    return pass_type


def grant(client, pass_type, *, credits=None, expires_in=timedelta(days=30), source=None, now=None):
    """A paid purchase of `pass_type` and its grant, as if Stripe had said so."""
    now = now or timezone.now()
    purchase = Purchase.objects.create(
        client=client,
        pass_type=pass_type,
        status="paid",
        amount=pass_type.price,
        currency=pass_type.currency,
        paid_at=now,
    )
    entry, _ = credit_grant(
        client_id=client.pk,
        amount=credits if credits is not None else pass_type.credits,
        expires_at=now + expires_in,
        purchase=purchase,
        source=source or f"pi_test_{purchase.pk}",
        reason="test grant",
    )
    return entry


@pytest.fixture
def mat_class(db):
    """A $25 service a pack pays for."""
    return factories.ServiceFactory(slug="mat-class", name="Mat class", price=2500)


@pytest.fixture
def pack(mat_class):
    return make_pass(services=[mat_class])
