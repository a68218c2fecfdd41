"""Subscribable ICS feeds: /calendar/<secret token>.ics per specialist, per client and for the
whole studio (owner). Tokens are secret and revocable; a feed is created the first time its owner
asks for it. Rendering loads every booking of a feed in one query (flat in the number of bookings).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.models import ClientProfile, SpecialistProfile, Studio, User
from bookings.calendars.events import Audience, new_calendar
from bookings.calendars.ics import events_ics
from bookings.calendars.program_feed import (
    had_published_program,
    has_active_program,
    program_calendar,
)
from bookings.models import Booking, CalendarFeed, new_token
from studio.kernel.errors import NotFound
from studio.kernel.memory import gc_paused

# How far back a feed reaches, and how long a cancelled booking stays in it (as CANCELLED, so
# calendar apps that already have the event remove or strike it through).
FEED_PAST = timedelta(days=90)
CANCELLED_KEPT = timedelta(days=30)
CALENDAR_END = b"END:VCALENDAR\r\n"

# The program practice-session feed is rendered by calendar_program_feed.py.
SERVED_KINDS = (
    CalendarFeed.Kind.SPECIALIST,
    CalendarFeed.Kind.CLIENT,
    CalendarFeed.Kind.STUDIO,
    CalendarFeed.Kind.PROGRAM,
)
AUDIENCE = {
    CalendarFeed.Kind.SPECIALIST: Audience.SPECIALIST,
    CalendarFeed.Kind.CLIENT: Audience.CLIENT,
    CalendarFeed.Kind.STUDIO: Audience.STUDIO,
}


def feed_kinds_for(user: User) -> list[str]:
    """The feeds a person may have: their schedule (specialist), their bookings (client), their
    practice sessions (client with an active program), the whole studio (owner)."""
    if not user.is_active:
        return []
    kinds: list[str] = []
    if SpecialistProfile.objects.filter(user=user, is_active=True).exists():
        kinds.append(CalendarFeed.Kind.SPECIALIST)
    if ClientProfile.objects.filter(user=user, erased_at=None).exists():
        kinds.append(CalendarFeed.Kind.CLIENT)
        if has_active_program(user.pk):
            kinds.append(CalendarFeed.Kind.PROGRAM)
    if user.is_owner:
        kinds.append(CalendarFeed.Kind.STUDIO)
    return kinds


def _may_read(feed: CalendarFeed) -> bool:
    """Whether the feed's owner is still entitled to it (one query at most)."""
    user = feed.user
    if not user.is_active:
        return False
    if feed.kind == CalendarFeed.Kind.SPECIALIST:
        return SpecialistProfile.objects.filter(user=user, is_active=True).exists()
    if feed.kind == CalendarFeed.Kind.PROGRAM:
        return had_published_program(user.pk)
    if feed.kind == CalendarFeed.Kind.CLIENT:
        return ClientProfile.objects.filter(user=user, erased_at=None).exists()
    if feed.kind == CalendarFeed.Kind.STUDIO:
        return user.is_owner
    return False


def feed_url(feed: CalendarFeed) -> str:
    return f"{settings.SITE_URL}/calendar/{feed.token}.ics"


def webcal_url(feed: CalendarFeed) -> str:
    """The same URL with the webcal:// scheme, which opens the subscribe dialog of calendar apps."""
    return "webcal://" + feed_url(feed).split("://", 1)[1]


@transaction.atomic
def calendar_feeds_ensure(*, user: User) -> list[CalendarFeed]:
    """Every feed the user may have, created on first request. Raises nothing."""
    kinds = feed_kinds_for(user)
    feeds = {f.kind: f for f in CalendarFeed.objects.filter(user=user, kind__in=kinds)}
    for kind in kinds:
        if kind not in feeds:
            feeds[kind], _ = CalendarFeed.objects.get_or_create(user=user, kind=kind)
    return [feeds[k] for k in kinds]


@transaction.atomic
def calendar_feed_regenerate(*, user: User, kind: str) -> CalendarFeed:
    """Give a feed a new secret token; the old URL stops working at once.
    Raises NotFound if the user may not have that feed."""
    if kind not in feed_kinds_for(user):
        raise NotFound("No such calendar feed.")
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user, kind=kind)
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user: User, kind: str) -> None:
    """Delete a feed so its URL stops working (a new one is made only when asked for).
    Raises NotFound if the user has no such feed."""
    deleted, _ = CalendarFeed.objects.filter(user=user, kind=kind).delete()
    if not deleted:
        raise NotFound("No such calendar feed.")


def calendar_feed_get(*, token: str) -> CalendarFeed | None:
    """The feed behind a token if its owner may still read it, else None."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or feed.kind not in SERVED_KINDS or not _may_read(feed):
        return None
    return feed


def feed_bookings(feed: CalendarFeed, *, now: datetime) -> QuerySet[Booking]:
    """The bookings a feed shows: the last 90 days and the future; cancelled ones for 30 days;
    not holds that have expired."""
    qs = Booking.objects.select_related("service", "specialist__user", "client__user")
    if feed.kind == CalendarFeed.Kind.SPECIALIST:
        qs = qs.filter(specialist__user_id=feed.user_id)
    elif feed.kind == CalendarFeed.Kind.CLIENT:
        qs = qs.filter(client__user_id=feed.user_id)
    cutoff = now - CANCELLED_KEPT
    cancelled = Q(status=Booking.Status.CANCELLED)
    recently_cancelled = cancelled & (
        Q(cancelled_at__gte=cutoff) | Q(cancelled_at__isnull=True, updated__gte=cutoff)
    )
    expired_hold = Q(status=Booking.Status.HELD, hold_expires_at__lt=now)
    return (
        qs.filter(end__gte=now - FEED_PAST)
        .filter(~cancelled | recently_cancelled)
        .exclude(expired_hold)
        .order_by("start", "pk")
    )


def _busy_ids(feed: CalendarFeed, bookings: list[Booking]) -> set[int]:
    """A specialist's feed shows a booking whose client is not on their care team as taken
    time only (accounts/access.py); the owner's and a client's feeds show their own."""
    if feed.kind != CalendarFeed.Kind.SPECIALIST:
        return set()
    seen = access.visible_client_ids(feed.user, {b.client_id for b in bookings})
    return {b.pk for b in bookings if b.client_id not in seen}


@dataclass
class RenderedFeed:
    body: bytes
    etag: str
    last_modified: datetime


def calendar_feed_render(feed: CalendarFeed, *, now: datetime | None = None) -> RenderedFeed:
    """The feed as RFC 5545 bytes, with a strong ETag (hash of the bytes: every DTSTAMP is the
    booking's last change, so unchanged data gives identical bytes) and Last-Modified."""
    now = now or timezone.now()
    studio = Studio.get()
    if feed.kind == CalendarFeed.Kind.PROGRAM:
        cal, last_modified = program_calendar(feed, studio=studio)
        body = cal.to_ical()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return RenderedFeed(body=body, etag=etag, last_modified=last_modified)
    audience = AUDIENCE[CalendarFeed.Kind(feed.kind)]
    with gc_paused():  # thousands of short-lived model instances and strings
        bookings = list(feed_bookings(feed, now=now))
        events = events_ics(
            bookings, audience=audience, studio=studio, busy_ids=_busy_ids(feed, bookings)
        ).encode()
    cal = new_calendar(name=f"{studio.name}: {CalendarFeed.Kind(feed.kind).label}")
    cal.add("x-wr-caldesc", f"Bookings at {studio.name}")
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    # The calendar's own properties through icalendar; the events through the fast writer
    # (byte-identical to booking_event's, see calendar_feed_ics.py), spliced before END.
    head = cal.to_ical()
    assert head.endswith(CALENDAR_END)
    body = head[: -len(CALENDAR_END)] + events + CALENDAR_END
    last_modified = max((b.updated for b in bookings), default=feed.created)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return RenderedFeed(body=body, etag=etag, last_modified=last_modified)
