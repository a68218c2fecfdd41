"""Who a service is for, said on its card at step 1 instead of refused at the last step.

The service layer (services.guest_may_book, services._check_may_book) stays the rule that
refuses; this module only predicts its answer so the first page can say "for existing clients:
log in, or book a consultation first" before anyone picks a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accounts.models import User

from .models import Booking, Service


@dataclass(frozen=True)
class ServiceCard:
    """A service as step 1 shows it: open to this visitor, or what to do first."""

    service: Service
    may_book: bool
    offer_login: bool = False
    book_first: Service | None = None


def guest_restricted(service: Service) -> bool:
    """Services a guest may not book: they depend on who the client is (services.guest_may_book)."""
    return service.audience == Service.Audience.EXISTING or service.intake_required


def client_has_history(client) -> bool:
    """An "existing client": one with a confirmed or completed booking (1 query)."""
    return client.bookings.filter(
        status__in=[Booking.Status.CONFIRMED, Booking.Status.COMPLETED]
    ).exists()


def service_cards(services: Iterable[Service], user: User | None) -> list[ServiceCard]:
    """Each service with whether this visitor may book it now; at most one history query."""
    services = list(services)
    open_to_all = next((s for s in services if not guest_restricted(s)), None)
    client = getattr(user, "client", None) if user and user.is_authenticated else None
    known = None  # looked up once, only if a restricted service asks

    def card(service: Service) -> ServiceCard:
        nonlocal known
        if user is None or not user.is_authenticated:
            if not guest_restricted(service):
                return ServiceCard(service, may_book=True)
            return ServiceCard(service, may_book=False, offer_login=True, book_first=open_to_all)
        # Staff may look at every service (they book for clients from the workspace).
        if service.audience != Service.Audience.EXISTING or client is None:
            return ServiceCard(service, may_book=True)
        if known is None:
            known = client_has_history(client)
        return ServiceCard(service, may_book=known, book_first=None if known else open_to_all)

    return [card(service) for service in services]
