"""Busy times from iCalendar data: recurring events expanded, floating and all-day events read
in the specialist's zone, free/cancelled events and Tonic's own bookings skipped; plus fetching a
public ICS URL (e.g. a Google "secret address") and storing the result as BusyTime rows.
"""

import base64
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from django.db import transaction

from bookings import availability_cache
from bookings.calendars.events import TONIC_MARKER
from bookings.calendars.outbound import FetchError, check_url, opener, web_url
from bookings.models import Booking, BusyTime, CalendarConnection

MAX_ICS_BYTES = 10 * 1024 * 1024


class BusyInterval(NamedTuple):
    external_uid: str
    start: datetime
    end: datetime


def _as_utc(value: date | datetime, tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:  # floating time: the specialist's wall clock
            value = value.replace(tzinfo=tz)
        return value.astimezone(UTC)
    return datetime.combine(value, time.min, tzinfo=tz).astimezone(UTC)  # all-day event


def _uid(component) -> str:
    return str(component.get("uid", ""))


def calendar_uids(calendars: Iterable[icalendar.Calendar]) -> set[str]:
    return {_uid(c) for cal in calendars for c in cal.walk("VEVENT") if c.get("uid")}


def busy_intervals(
    calendars: Iterable[icalendar.Calendar],
    *,
    start: datetime,
    end: datetime,
    tz: ZoneInfo,
    skip_uids: set[str] = frozenset(),  # type: ignore[assignment]
) -> set[BusyInterval]:
    """Every busy occurrence overlapping [start, end), recurrences expanded (RRULE, RDATE,
    EXDATE and moved occurrences), in UTC."""
    found: set[BusyInterval] = set()
    for cal in calendars:
        occurrences = recurring_ical_events.of(cal, components=["VEVENT"], skip_bad_series=True)
        for event in occurrences.between(start, end):
            uid = _uid(event)
            if uid in skip_uids or TONIC_MARKER in event:
                continue
            if str(event.get("transp", "OPAQUE")).upper() == "TRANSPARENT":
                continue  # marked "free"
            if str(event.get("status", "")).upper() == "CANCELLED":
                continue
            begins, ends = _as_utc(event.start, tz), _as_utc(event.end, tz)
            if ends <= begins:
                continue  # an instant takes no time
            found.add(BusyInterval(uid[:300], begins, ends))
    return found


def parse_calendars(data: bytes) -> list[icalendar.Calendar]:
    """Parse iCalendar bytes (one or more VCALENDARs). Raises FetchError if they are not."""
    data = data.removeprefix(b"\xef\xbb\xbf")  # a UTF-8 byte order mark, as some servers send
    if not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise FetchError("That address did not return a calendar (no BEGIN:VCALENDAR).")
    try:
        return list(icalendar.Calendar.from_ical(data, multiple=True))
    except ValueError as exc:
        raise FetchError(f"The calendar could not be read: {exc}") from exc


def fetch_ics(url: str, *, username: str = "", password: str = "", timeout: float) -> bytes:
    """GET a public ICS URL (webcal:// is read as https://), checking the address (and every
    redirect) with outbound.check_url right before. Raises FetchError."""
    url = web_url(url)
    check_url(url)
    headers = {"User-Agent": "Tonic calendar sync", "Accept": "text/calendar, */*;q=0.5"}
    if username:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener().open(request, timeout=timeout) as response:
            data = response.read(MAX_ICS_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the answer's socket, which the chained error would keep open
        raise FetchError(f"The calendar server answered {exc.code} {exc.reason}.") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"Could not reach the calendar: {reason}.") from exc
    if len(data) > MAX_ICS_BYTES:
        raise FetchError("The calendar is larger than 10 MB.")
    return data


def tonic_booking_uids(uids: set[str]) -> set[str]:
    """Those UIDs that are Tonic's own bookings (pushed copies must not block their own slot)."""
    found: set[str] = set()
    pending = list(uids)
    for i in range(0, len(pending), 500):
        chunk = pending[i : i + 500]
        found.update(Booking.objects.filter(uid__in=chunk).values_list("uid", flat=True))
    return found


class StoreResult(NamedTuple):
    added: int
    removed: int
    kept: int


@transaction.atomic
def busy_times_replace(
    *, connection: CalendarConnection, intervals: set[BusyInterval]
) -> StoreResult:
    """Make the connection's BusyTime rows exactly `intervals`, touching only what changed,
    in one transaction (availability never sees half an import)."""
    existing: dict[tuple, list[int]] = defaultdict(list)
    for row in BusyTime.objects.filter(connection=connection).only(
        "pk", "external_uid", "start", "end"
    ):
        existing[(row.external_uid, row.start, row.end)].append(row.pk)
    stale = [
        pk for key, pks in existing.items() for pk in (pks if key not in intervals else pks[1:])
    ]
    if stale:
        BusyTime.objects.filter(pk__in=stale).delete()
    new = [i for i in intervals if i not in existing]
    BusyTime.objects.bulk_create(
        BusyTime(
            specialist_id=connection.specialist_id,
            connection=connection,
            external_uid=i.external_uid,
            start=i.start,
            end=i.end,
        )
        for i in new
    )
    if stale or new:  # bulk_create sends no signal, and busy times have no delete listener
        availability_cache.generation_bump_on_commit()
    return StoreResult(added=len(new), removed=len(stale), kept=len(intervals) - len(new))
