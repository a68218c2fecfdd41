"""A short-lived, shared cache of public availability answers.

A month of availability is the costliest public read, and clients browsing the booking page ask
for the same month again and again. An answer is kept, zlib-compressed, in the "availability"
cache (AVAILABILITY_CACHE_URL: shared by every web process and job; a bounded table of its own in
the database by default) and served again only while all of these hold:

- nothing it depends on has changed since it was computed. An answer depends on generation
  tokens: the studio-wide one, one per specialist (or "*", any specialist, for answers about
  all of them) and one per specialist and UTC day it covers. A write drops the narrowest tokens
  that cover it, now and once its transaction commits (see `connect_signals`): a booking drops
  its specialist's tokens of the days its blocked time touches (and "*"'s), working hours or a
  date override the specialist's, a closure, a service, a name or the studio the studio-wide
  one. The next answer draws new random tokens, and an answer is served only under the tokens
  it was computed with. So a booking for one specialist leaves other specialists' and other
  days' answers cached;
- its first slot is still outside the minimum notice (`fresh_until`);
- it is younger than AVAILABILITY_CACHE_SECONDS (0 turns the cache off). This bounds what time
  alone changes: a hold that expires, the far end of the booking horizon.

A stale answer can at worst show a slot that was just taken: creating a booking re-checks the
slot under a lock and answers 409, so the cache can never cause a double booking.
"""

import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils import timezone

from accounts.models import SpecialistProfile, Studio, User

from .models import (
    Booking,
    BusyTime,
    ClassOccurrence,
    Closure,
    DateOverride,
    Service,
    UnitClaim,
    WaitlistEntry,
    WaitlistOffer,
    WeeklyHours,
)

# Token keys sort after every answer key ("availability:" + hex digest) on purpose: the database
# cache culls the first third of its keys in key order when full, so answers go before tokens.
GENERATION_KEY = "availability:t:studio"
CLASSES_KEY = "availability:t:classes"  # the class timetable (bookings/classes/api.py)
ANY = "*"  # the specialist of answers about every specialist offering a service
# An answer over local dates [start, end] covers UTC [start - 1 day, end + 2 days) whatever the
# zone, and a slot's blocked time reaches at most a day past it (selectors._PAD).
_DAYS_BEFORE, _DAYS_AFTER = 2, 2
log = logging.getLogger(__name__)


def classes_tokens() -> list[str]:
    """The tokens the class timetable depends on: places, waitlists, and anything studio-wide."""
    return [GENERATION_KEY, CLASSES_KEY]


def specialist_token(specialist: int | str) -> str:
    return f"availability:t:s:{specialist}"


def day_token(specialist: int | str, day: date) -> str:
    return f"availability:t:d:{specialist}:{day:%Y%m%d}"


def tokens_for(specialist: int | None, start: date, end: date) -> list[str]:
    """The tokens an answer about one specialist (None: all of them) over local dates
    [start, end] depends on."""
    who = ANY if specialist is None else specialist
    first, last = start - timedelta(days=_DAYS_BEFORE), end + timedelta(days=_DAYS_AFTER)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [GENERATION_KEY, specialist_token(who), *(day_token(who, day) for day in days)]


def span_tokens(specialist: int, start: datetime, end: datetime) -> list[str]:
    """The tokens a specialist's busy span [start, end) (a booking's blocked time) touches."""
    first, last = start.date(), end.date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [day_token(who, day) for who in (specialist, ANY) for day in days]


def tokens_drop(keys: Iterable[str]) -> None:
    """Invalidate every answer that depends on these tokens (one delete). A cache that is down
    is logged, never raised: a booking must not fail because of it."""
    cache = caches["availability"]
    try:
        if transaction.get_connection().in_atomic_block:
            # A savepoint: with the database cache, a failed delete must not abort the
            # booking's transaction along with it (PostgreSQL would).
            with transaction.atomic():
                cache.delete_many(list(keys))
        else:  # after the commit: one statement, no transaction around it
            cache.delete_many(list(keys))
    except Exception:  # any cache backend error; answers age out within the maximum age
        log.warning("availability cache: could not invalidate", exc_info=True)


def tokens_drop_on_commit(keys: list[str]) -> None:
    """Invalidate now, and again once the current transaction commits: an answer computed from
    the old rows in between is stored under the first tokens and never served."""
    tokens_drop(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: tokens_drop(keys), robust=True)


def generation_bump() -> None:
    """Invalidate every cached answer: drop the studio-wide token."""
    tokens_drop([GENERATION_KEY])


def generation_bump_on_commit() -> None:
    """Invalidate every answer now, and again once the current transaction commits."""
    generation_bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(generation_bump, robust=True)


def _digest(found: dict, tokens: list[str]) -> str | None:
    """One value for all the tokens, or None when one is missing."""
    values = [found.get(token) for token in tokens]
    if None in values:
        return None
    return hashlib.sha256("|".join(str(v) for v in values).encode()).hexdigest()


def answer(
    key_parts: tuple,
    compute: Callable[[], tuple[bytes, datetime | None]],
    tokens: list[str],
) -> tuple[bytes, bool]:
    """The cached answer for key_parts, or compute() -> (body, fresh_until) stored and returned.
    tokens: what the answer depends on (`tokens_for`). Returns (body, was_cached). With the
    cache down, every answer is computed."""
    seconds = settings.AVAILABILITY_CACHE_SECONDS
    if seconds <= 0:
        return compute()[0], False
    key = "availability:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    cache = caches["availability"]
    try:
        found = cache.get_many([*tokens, key])  # one round trip
    except Exception:
        log.warning("availability cache: could not read", exc_info=True)
        return compute()[0], False
    now = timezone.now()
    digest = _digest(found, tokens)
    entry = found.get(key)
    if digest is not None and entry is not None:
        entry_digest, expires, packed = entry
        if entry_digest == digest and now < expires:
            return zlib.decompress(packed), True
    if digest is None:
        # Drawn before computing, so a write that commits meanwhile drops these tokens too.
        missing = {token: uuid4().hex for token in tokens if token not in found}
        found.update(missing)
        try:
            cache.set_many(missing, None)
        except Exception:
            log.warning("availability cache: could not draw tokens", exc_info=True)
        digest = _digest(found, tokens)
    body, fresh_until = compute()
    expires = now + timedelta(seconds=seconds)
    if fresh_until is not None:
        expires = min(expires, fresh_until)
    try:
        # A month is ~70 KB of repetitive JSON; compressed (level 1, 0.2 ms) ~20 times smaller.
        cache.set(key, (digest, expires, zlib.compress(body, 1)), seconds)
    except Exception:
        log.warning("availability cache: could not store", exc_info=True)
    return body, False


def _on_write(sender, **kwargs) -> None:
    generation_bump_on_commit()


def _remember_span(sender, instance, **kwargs) -> None:
    """Keep the time a booking or busy time held when loaded, so moving it frees the old days
    too. Read from __dict__: a deferred field must not cost a query per row."""
    fields = instance.__dict__
    if sender is Booking:
        instance._availability_span = (
            fields.get("specialist_id"),
            fields.get("blocked_start"),
            fields.get("blocked_end"),
        )
    else:
        instance._availability_span = (
            fields.get("specialist_id"),
            fields.get("start"),
            fields.get("end"),
        )


def _on_span_write(sender, instance, **kwargs) -> None:
    """A booking or busy time: only its specialist's days, before and after the write."""
    if sender is Booking:
        now = (instance.specialist_id, instance.blocked_start, instance.blocked_end)
    else:
        now = (instance.specialist_id, instance.start, instance.end)
    keys: list[str] = []
    for specialist, start, end in {now, getattr(instance, "_availability_span", now)}:
        if specialist is None or start is None or end is None:  # not loaded: be safe
            generation_bump_on_commit()
            return
        keys += span_tokens(specialist, start, end)
    if sender is Booking and instance.occurrence_id is not None:
        keys.append(CLASSES_KEY)  # a class place: the timetable's places left change too
    instance._availability_span = now  # a second save of this instance starts from here
    tokens_drop_on_commit(keys)


def timetable_drop_on_commit() -> None:
    """Invalidate the class timetable alone (waitlist changes), leaving availability cached."""
    tokens_drop_on_commit([CLASSES_KEY])


def _on_class_write(sender, **kwargs) -> None:
    """A waitlist entry or offer: only the class timetable."""
    timetable_drop_on_commit()


def _on_specialist_input_write(sender, instance, **kwargs) -> None:
    """Working hours, a date override or the specialist's profile: all their days."""
    specialist = instance.pk if sender is SpecialistProfile else instance.specialist_id
    tokens_drop_on_commit([specialist_token(specialist), specialist_token(ANY)])


def _on_user_write(sender, instance, update_fields=None, **kwargs) -> None:
    # Slots carry the specialist's name; clients' saves and logins change nothing shown.
    if instance.role == instance.Role.CLIENT or update_fields == frozenset({"last_login"}):
        return
    generation_bump_on_commit()


def connect_signals() -> None:
    """Invalidate on every ORM write to what availability is computed from. Writes that send
    no signal (bulk_create, update(), a queryset's delete() without listeners) call
    generation_bump_on_commit themselves.

    Busy times get no delete listener on purpose: the calendar sync replaces hundreds at once,
    and a listener would turn its one DELETE into a bump per row. Their writers (busy_import,
    calendar_connections, caldav_sync and the admin) bump once instead."""

    def listen(handler, model, *signals) -> None:
        for signal in signals:
            uid = f"availability-{model.__name__}-{id(signal)}"
            signal.connect(handler, sender=model, dispatch_uid=uid)

    # A class taught is busy time for its instructor, a unit claimed is a room or machine taken:
    # both change rarely, so all answers go. Waitlists feed only the class timetable.
    studio_wide: tuple[type[Model], ...] = (Closure, Service, Studio, ClassOccurrence, UnitClaim)
    for model in studio_wide:
        listen(_on_write, model, post_save, post_delete)
    for waitlisted in (WaitlistEntry, WaitlistOffer):
        listen(_on_class_write, waitlisted, post_save, post_delete)
    for specialist_input in (WeeklyHours, DateOverride, SpecialistProfile):
        listen(_on_specialist_input_write, specialist_input, post_save, post_delete)
    listen(_remember_span, Booking, post_init)
    listen(_on_span_write, Booking, post_save, post_delete)
    listen(_remember_span, BusyTime, post_init)
    listen(_on_span_write, BusyTime, post_save)
    m2m_changed.connect(
        _on_write, sender=Service.specialists.through, dispatch_uid="availability-service-staff"
    )
    post_save.connect(_on_user_write, sender=User, dispatch_uid="availability-user")
