"""Waitlists that fill themselves: join, leave, offers by e-mail, claims, lapses.

First come, first offered: entries are served in id order. Every step runs under the class's
row lock (places.lock), the lock booking and cancelling a place take, so twenty cancels at
once free twenty places and make twenty offers to the first twenty in line, never two offers of
one place. A held offer keeps the place for its client until it expires: the shorter of
OFFER_WINDOW and a quarter of the time left before class. A lapsed (or declined) offer moves on
to the next person: the periodic job `offers_lapse_due_task` does it (each lapse is claimed by a
conditional UPDATE, so two runs never lapse one offer twice); booking or claiming a place does
it first too, under the lock. From the cut-off (CLASS_WAITLIST_CUTOFF_MINUTES before class) a
freed place is no longer held: every waiting client is told and the first claim wins. A client
at the head who cannot take the place (already booked at that time, account closed) is skipped.
The offer e-mail (and an SMS where the client has a phone and SMS is on, as for reminders) is
owed through the outbox in the same transaction (studio/kernel/outbox.py): each sent once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import ClientProfile, Studio, User
from studio.kernel.errors import Conflict, DomainError, NotFound
from studio.kernel.outbox import outbox_add

from ..availability_cache import timetable_drop_on_commit
from ..models import Booking
from ..notifications import format_when
from ..selectors import blocking_bookings
from ..sms import send_sms, sms_enabled
from . import places, selectors
from .models import ClassOccurrence, WaitlistEntry, WaitlistOffer

OFFER_WINDOW = timedelta(hours=2)
Entry, Offer = WaitlistEntry, WaitlistOffer


class Gone(DomainError):
    """The offer lapsed or was withdrawn: 410."""

    status_code, code = 410, "gone"


def cutoff() -> timedelta:
    return timedelta(minutes=getattr(settings, "CLASS_WAITLIST_CUTOFF_MINUTES", 60))


def offer_window(start: datetime, now: datetime) -> timedelta:
    """How long a held offer lasts: min(2 hours, a quarter of the time left before class)."""
    return min(OFFER_WINDOW, (start - now) / 4)


# --- joining and leaving ----------------------------------------------------------------------


@transaction.atomic
def waitlist_join(
    *, occurrence: ClassOccurrence, client: ClientProfile, now: datetime | None = None
) -> tuple[WaitlistEntry, int]:
    """Join the line for a full class; returns the entry and its position (1 = next).
    Raises Conflict (places left, already booked or waiting, class over or cancelled)."""
    now = now or timezone.now()
    occurrence = places.lock(occurrence)
    offers_lapse_for(occurrence, now=now)
    places.bookable(occurrence, now)
    if selectors.places_of(occurrence, now).left > 0:
        raise Conflict("There are places left in this class: book one.")
    if occurrence.bookings.filter(blocking_bookings(now), client=client).exists():
        raise Conflict("You already have a place in this class.")
    try:
        with transaction.atomic():
            entry = Entry.objects.create(occurrence=occurrence, client=client)
    except IntegrityError as exc:
        raise Conflict("You are already on the waitlist for this class.") from exc
    return entry, selectors.waitlist_position(entry)


@transaction.atomic
def waitlist_leave(
    *, occurrence: ClassOccurrence, client: ClientProfile, now: datetime | None = None
) -> None:
    """Leave the line; an offer held for the client goes to the next person. Raises NotFound."""
    now = now or timezone.now()
    occurrence = places.lock(occurrence)
    entry = Entry.objects.filter(
        occurrence=occurrence, client=client, status__in=Entry.ACTIVE
    ).first()
    if entry is None:
        raise NotFound("You are not on the waitlist for this class.")
    entry.status = Entry.Status.LEFT
    entry.save(update_fields=["status"])
    entry.offers.filter(status=Offer.Status.OPEN).update(status=Offer.Status.WITHDRAWN)
    timetable_drop_on_commit()
    offer_free_places(occurrence, now=now)


def waitlist_close(occurrence: ClassOccurrence) -> None:
    """The class is cancelled: nobody waits for it any more, no offer stands."""
    Offer.objects.filter(occurrence=occurrence, status=Offer.Status.OPEN).update(
        status=Offer.Status.WITHDRAWN
    )
    Entry.objects.filter(occurrence=occurrence, status__in=Entry.ACTIVE).update(
        status=Entry.Status.CLOSED
    )
    timetable_drop_on_commit()


# --- offering ---------------------------------------------------------------------------------


def _eligible(entry: WaitlistEntry, occurrence: ClassOccurrence, now: datetime) -> bool:
    """Can this client take the place: an active account, not booked at that time already."""
    if not entry.client.user.is_active:
        return False
    clash = Booking.objects.filter(
        blocking_bookings(now),
        client_id=entry.client_id,
        start__lt=occurrence.end,
        end__gt=occurrence.start,
    )
    return not clash.exists()


def offer_free_places(occurrence: ClassOccurrence, *, now: datetime) -> list[WaitlistOffer]:
    """Inside a transaction holding the class's lock: offer each free place to the next
    eligible person in line (held offers), or after the cut-off to everyone waiting (open)."""
    if occurrence.status != ClassOccurrence.Status.SCHEDULED or occurrence.start <= now:
        return []
    if occurrence.start - now <= cutoff():
        return _offer_open(occurrence, now)
    made = []
    left = selectors.places_of(occurrence, now).left
    waiting = Entry.objects.filter(occurrence=occurrence, status=Entry.Status.WAITING)
    for entry in waiting.select_related("client__user").order_by("pk"):
        if left <= 0:
            break
        if not _eligible(entry, occurrence, now):
            entry.status = Entry.Status.SKIPPED
            entry.save(update_fields=["status"])
            continue
        made.append(_offer(entry, Offer.Kind.HELD, now + offer_window(occurrence.start, now)))
        left -= 1
    return made


def _offer_open(occurrence: ClassOccurrence, now: datetime) -> list[WaitlistOffer]:
    """After the cut-off: each waiting client without an offer is told; first claim wins."""
    if selectors.places_of(occurrence, now).left <= 0:
        return []
    waiting = Entry.objects.filter(occurrence=occurrence, status=Entry.Status.WAITING)
    return [
        _offer(entry, Offer.Kind.OPEN, occurrence.start)
        for entry in waiting.select_related("client__user").order_by("pk")
        if _eligible(entry, occurrence, now)
    ]


def _offer(entry: WaitlistEntry, kind: str, expires_at: datetime) -> WaitlistOffer:
    entry.status = Entry.Status.OFFERED
    entry.save(update_fields=["status"])
    offer = Offer.objects.create(
        entry=entry, occurrence_id=entry.occurrence_id, kind=kind, expires_at=expires_at
    )
    outbox_add(
        kind="class_offer",
        payload={"offer_id": offer.pk},
        key=f"class-offer:{offer.pk}",
        about=f"class:{entry.occurrence_id}",
    )
    if entry.client.phone and sms_enabled():  # as reminders: a phone and SMS on
        outbox_add(
            kind="class_offer_sms",
            payload={"offer_id": offer.pk},
            key=f"class-offer-sms:{offer.pk}",
            about=f"class:{entry.occurrence_id}",
        )
    return offer


# --- lapsing ----------------------------------------------------------------------------------


def offers_lapse_for(occurrence: ClassOccurrence, *, now: datetime) -> int:
    """Inside a transaction holding the class's lock: lapse its expired offers and offer the
    places again. Returns how many lapsed."""
    expired = Offer.objects.filter(
        occurrence=occurrence, status=Offer.Status.OPEN, expires_at__lte=now
    )
    lapsed = 0
    for offer in expired.select_related("entry"):
        # The conditional UPDATE is the claim: a concurrent run that got here first wins.
        if Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(
            status=Offer.Status.LAPSED
        ):
            lapsed += 1
            Entry.objects.filter(pk=offer.entry_id, status=Entry.Status.OFFERED).update(
                status=Entry.Status.LAPSED
            )
    if lapsed:
        timetable_drop_on_commit()  # update() sends no signal
        offer_free_places(occurrence, now=now)
    return lapsed


def offers_lapse_due(*, now: datetime | None = None) -> int:
    """The worker's job: lapse every expired offer, each exactly once, and offer on."""
    now = now or timezone.now()
    ids = set(
        Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now).values_list(
            "occurrence_id", flat=True
        )
    )
    lapsed = 0
    for occurrence_id in sorted(ids):
        with transaction.atomic():
            occurrence = places.lock(ClassOccurrence(pk=occurrence_id))
            lapsed += offers_lapse_for(occurrence, now=now)
    return lapsed


# --- claiming ---------------------------------------------------------------------------------


def offer_get(token: str) -> WaitlistOffer:
    offer = (
        Offer.objects.select_related("occurrence__class_type", "entry__client__user")
        .filter(token=token)
        .first()
    )
    if offer is None:
        raise NotFound("No such offer.")
    return offer


@transaction.atomic
def offer_claim(*, token: str, user: User | None = None, now: datetime | None = None) -> Booking:
    """Book the offered place. Raises Gone (410) when the offer lapsed or was withdrawn,
    Conflict when it was already used or (an open offer) the place went to someone quicker."""
    now = now or timezone.now()
    user = user if user is not None and user.is_authenticated else None
    offer = offer_get(token)
    occurrence = places.lock(offer.occurrence)
    offers_lapse_for(occurrence, now=now)
    offer.refresh_from_db()
    if offer.status == Offer.Status.CLAIMED:
        raise Conflict("This offer has already been used.")
    if offer.status != Offer.Status.OPEN or offer.expires_at <= now:
        raise Gone("This offer has lapsed: the place went to the next person waiting.")
    booking = places.place_insert(
        occurrence=occurrence, client=offer.entry.client, user=user, now=now, offer=offer
    )
    offer.status, offer.booking = Offer.Status.CLAIMED, booking
    offer.save(update_fields=["status", "booking"])
    Entry.objects.filter(pk=offer.entry_id).update(status=Entry.Status.BOOKED)
    timetable_drop_on_commit()
    return booking


@transaction.atomic
def offer_decline(*, token: str, now: datetime | None = None) -> None:
    """The client does not want the place: it goes to the next person now."""
    now = now or timezone.now()
    offer = offer_get(token)
    occurrence = places.lock(offer.occurrence)
    if Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(
        status=Offer.Status.WITHDRAWN
    ):
        Entry.objects.filter(pk=offer.entry_id).update(status=Entry.Status.LEFT)
        timetable_drop_on_commit()
        offer_free_places(occurrence, now=now)


# --- the messages ---------------------------------------------------------------------------------


def claim_url(offer: WaitlistOffer) -> str:
    return settings.SITE_URL + reverse("class-claim", args=[offer.token])


def _open_offer(offer_id: int) -> tuple[WaitlistOffer, dict] | None:
    """The offer if it is still open, with what its messages say; None once it is not."""
    offer = (
        Offer.objects.select_related("occurrence__class_type", "entry__client__user")
        .filter(pk=offer_id, status=Offer.Status.OPEN)
        .first()
    )
    if offer is None:
        return None
    client = offer.entry.client
    return offer, {
        "offer": offer,
        "title": offer.occurrence.title,
        "when": format_when(offer.occurrence.start, client.timezone),
        "until": format_when(offer.expires_at, client.timezone),
        "claim_url": claim_url(offer),
        "studio": Studio.get(),
        "first_claim": offer.kind == Offer.Kind.OPEN,
    }


def class_offer_send(*, offer_id: int) -> bool:
    """Outbox handler: e-mail one offer if it is still open; True when sent."""
    found = _open_offer(offer_id)
    if found is None:
        return False
    offer, context = found
    subject = f"A place is free: {context['title']}, {context['when']}"
    body = render_to_string("bookings/classes/email/offer.txt", context)
    EmailMessage(subject, body, to=[offer.entry.client.user.email]).send()
    return True


def class_offer_sms_send(*, offer_id: int) -> bool:
    """Outbox handler: text one offer if it is still open and the client still has a phone;
    True when sent. A provider's refusal (SmsError) is retried by the outbox."""
    found = _open_offer(offer_id)
    if found is None or not found[0].entry.client.phone:
        return False
    offer, context = found
    body = render_to_string("bookings/classes/sms/offer.txt", context).strip()
    send_sms(to=offer.entry.client.phone, body=body)
    return True
