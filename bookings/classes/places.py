"""A place in a class: the class's row lock, and inserting a place under it.

Kept apart from services.py so the waitlist (which claims places) and the booking services'
hooks (which free them) can use it without importing the booking services back.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from accounts.models import ClientProfile, Studio, User
from studio.kernel.errors import Conflict

from ..calendars.events import calendar_booking_changed
from ..models import Booking, BookingEvent
from ..notifications import booking_notify_later
from ..passes.ledger import credit_consume
from ..payments.services import payment_method_for
from ..reminders.services import reminders_schedule
from ..selectors import blocking_bookings
from . import resources, selectors
from .models import ClassOccurrence, Resource, WaitlistOffer

FULL = "This class is full."


class Full(Conflict):
    code = "full"


def lock(occurrence: ClassOccurrence) -> ClassOccurrence:
    """The occurrence, its row locked: every change to its places queues here."""
    return (
        ClassOccurrence.objects.select_for_update(of=("self",))
        .select_related("class_type__service", "instructor__user", "resource")
        .get(pk=occurrence.pk)
    )


def bookable(occurrence: ClassOccurrence, now: datetime) -> None:
    if occurrence.status != ClassOccurrence.Status.SCHEDULED:
        raise Conflict("This class is cancelled.")
    if occurrence.start <= now:
        raise Conflict("This class has already started.")


def place_insert(
    *,
    occurrence: ClassOccurrence,
    client: ClientProfile,
    user: User | None,
    now: datetime,
    offer: WaitlistOffer | None = None,
    pay_with: str = "card",
    places: selectors.Places | None = None,
    studio: Studio | None = None,
) -> Booking:
    """Inside a transaction holding the occurrence's lock: insert the client's place.

    `offer` is the held waitlist offer the place was kept for (it counts as free for them).
    `pay_with="credits"` pays with the class's credits from a pass (NoCredits: 409).
    `places` and `studio`: the caller's, read under this lock, if it holds them."""
    bookable(occurrence, now)
    if occurrence.bookings.filter(blocking_bookings(now), client=client).exists():
        raise Conflict("You already have a place in this class.")
    places = places or selectors.places_of(occurrence, now)
    kept = 1 if offer is not None and offer.kind == WaitlistOffer.Kind.HELD else 0
    if places.left + kept <= 0:
        raise Full(FULL)
    payment_method = payment_method_for(occurrence.price)
    if pay_with == "credits":
        payment_method = Booking.PaymentMethod.CREDITS
    held = payment_method == Booking.PaymentMethod.STRIPE
    service = occurrence.class_type.service
    booking = Booking.objects.create(
        client=client,
        specialist=occurrence.instructor,
        service=service,
        occurrence=occurrence,
        start=occurrence.start,
        end=occurrence.end,
        blocked_start=occurrence.start,
        blocked_end=occurrence.end,
        status=Booking.Status.HELD if held else Booking.Status.CONFIRMED,
        hold_expires_at=now + timedelta(minutes=(studio or Studio.get()).hold_minutes)
        if held
        else None,
        price=occurrence.price,
        amount_due=0 if pay_with == "credits" else occurrence.price,
        currency=occurrence.currency,
        payment_method=payment_method,
        created_by=user,
    )
    if occurrence.resource is not None and occurrence.resource.kind == Resource.Kind.EQUIPMENT:
        try:
            resources.unit_claim(
                resource=occurrence.resource,
                start=occurrence.start,
                end=occurrence.end,
                booking=booking,
            )
        except Conflict as exc:
            raise Full(FULL) from exc
    if pay_with == "credits":
        credit_consume(booking=booking, by=user, now=now, cost=max(occurrence.credits, 1))
    BookingEvent.objects.create(
        booking=booking,
        kind="created",
        by=user,
        data={"status": booking.status, "occurrence": occurrence.pk},
    )
    calendar_booking_changed(booking)
    if booking.status == Booking.Status.CONFIRMED:
        reminders_schedule(booking, new=True, studio=studio)
        booking_notify_later(booking, "confirmed")
    return booking
