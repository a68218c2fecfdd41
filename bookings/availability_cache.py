"""A short-lived, shared cache of public availability answers.

A month of availability is the costliest public read, and clients browsing the booking page ask
for the same month again and again. An answer is kept, zlib-compressed, in the "availability"
cache (AVAILABILITY_CACHE_URL: shared by every web process and job; a bounded table of its own in
the database by default) and served again only while all of these hold:

- nothing it depends on has changed since it was computed. Every write to a booking, busy time,
  working hours, date override, closure, service, specialist, staff name or the studio drops
  the "generation" token once its transaction commits (see `connect_signals`), the next answer
  draws a new random one, and an answer is served only under the generation it was computed in;
- its first slot is still outside the minimum notice (`fresh_until`);
- it is younger than AVAILABILITY_CACHE_SECONDS (0 turns the cache off). This bounds what time
  alone changes: a hold that expires, the far end of the booking horizon.

A stale answer can at worst show a slot that was just taken: creating a booking re-checks the
slot under a lock and answers 409, so the cache can never cause a double booking.
"""

import hashlib
import logging
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from accounts.models import SpecialistProfile, Studio, User

from .models import Booking, BusyTime, Closure, DateOverride, Service, WeeklyHours

GENERATION_KEY = "availability:generation"
log = logging.getLogger(__name__)


def generation_bump() -> None:
    """Invalidate every cached answer: drop the token (one cheap delete); the next answer
    draws a fresh random one, never equal to an earlier one. A cache that is down is logged,
    never raised: a booking must not fail because of it."""
    try:
        # A savepoint: with the database cache, a failed delete must not abort the booking's
        # transaction along with it (PostgreSQL would).
        with transaction.atomic():
            caches["availability"].delete(GENERATION_KEY)
    except Exception:  # any cache backend error; answers age out within the maximum age
        log.warning("availability cache: could not invalidate", exc_info=True)


def generation_bump_on_commit() -> None:
    """Invalidate now, and again once the current transaction commits: an answer computed from
    the old rows in between is stored under the first token and never served."""
    generation_bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(generation_bump, robust=True)


def answer(
    key_parts: tuple, compute: Callable[[], tuple[bytes, datetime | None]]
) -> tuple[bytes, bool]:
    """The cached answer for key_parts, or compute() -> (body, fresh_until) stored and returned.
    Returns (body, was_cached). With the cache down, every answer is computed."""
    seconds = settings.AVAILABILITY_CACHE_SECONDS
    if seconds <= 0:
        return compute()[0], False
    key = "availability:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    cache = caches["availability"]
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:
        log.warning("availability cache: could not read", exc_info=True)
        return compute()[0], False
    now = timezone.now()
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if generation is not None and entry is not None:
        entry_generation, expires, packed = entry
        if entry_generation == generation and now < expires:
            return zlib.decompress(packed), True
    if generation is None:
        # Drawn before computing, so a write that commits meanwhile drops this token too.
        generation = uuid4().hex
        try:
            if not cache.add(GENERATION_KEY, generation, None):  # another request drew first
                generation = cache.get(GENERATION_KEY, generation)
        except Exception:
            log.warning("availability cache: could not draw a generation", exc_info=True)
    body, fresh_until = compute()
    expires = now + timedelta(seconds=seconds)
    if fresh_until is not None:
        expires = min(expires, fresh_until)
    try:
        # A month is ~70 KB of repetitive JSON; compressed (level 1, 0.2 ms) ~20 times smaller.
        cache.set(key, (generation, expires, zlib.compress(body, 1)), seconds)
    except Exception:
        log.warning("availability cache: could not store", exc_info=True)
    return body, False


def _on_write(sender, **kwargs) -> None:
    generation_bump_on_commit()


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
    inputs = (Booking, Closure, DateOverride, WeeklyHours, Service, SpecialistProfile, Studio)
    for model in inputs:
        for signal in (post_save, post_delete):
            signal.connect(_on_write, sender=model, dispatch_uid=f"availability-{model.__name__}")
    post_save.connect(_on_write, sender=BusyTime, dispatch_uid="availability-BusyTime")
    m2m_changed.connect(
        _on_write, sender=Service.specialists.through, dispatch_uid="availability-service-staff"
    )
    post_save.connect(_on_user_write, sender=User, dispatch_uid="availability-user")
