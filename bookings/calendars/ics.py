"""A small RFC 5545 writer for feed VEVENTs: the fixed property set of calendars.booking_event,
written straight to text (icalendar's generic machinery dominated a 5,000-booking feed).

The bytes are identical to icalendar's: same property order (its canonical order, then
alphabetical), TEXT escaping (backslash, ; , and newlines), UTC times as YYYYMMDDTHHMMSSZ and
folding at 75 octets without splitting a backslash escape. tests/bookings/calendars/test_feed_ics.py
checks it against booking_event(...).to_ical().
"""

from collections.abc import Container, Iterable
from datetime import UTC, datetime

from accounts.models import Studio
from bookings.calendars.events import Audience, _description, _summary, event_status
from bookings.links import manage_url
from bookings.models import Booking

FOLD_AT = 74  # octets per physical line before the CRLF + space (icalendar folds at >= 75)


def escape_text(text: str) -> str:
    """RFC 5545 3.3.11 TEXT escaping, in icalendar's order."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def fold(line: str) -> str:
    """Fold a content line (RFC 5545 3.1): at most 74 octets, then CRLF + space; never split
    after a lone backslash or caret (an escape) at the end of a physical line."""
    if line.isascii():
        if len(line) <= FOLD_AT:
            return line
        parts, pos, end = [], 0, len(line)
        while end - pos > FOLD_AT:
            chunk = line[pos : pos + FOLD_AT]
            if chunk[-1] in "\\^":
                chunk = chunk[:-1]
            parts.append(chunk)
            pos += len(chunk)
        parts.append(line[pos:])
        return "\r\n ".join(parts)
    parts = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size > FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                prefix = current.pop()
                parts.append("".join(current))
                current, count = [prefix], len(prefix.encode())
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def utc_stamp(value: datetime) -> str:
    value = value.astimezone(UTC)
    return (
        f"{value.year:04d}{value.month:02d}{value.day:02d}"
        f"T{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
    )


def event_lines(
    booking: Booking, *, audience: str, studio: Studio, location: str | None, busy: bool = False
) -> str:
    """One booking as VEVENT text (CRLF-terminated), as booking_event would write it for a feed.
    `location` is the studio address already escaped and folded (shared by every event)."""
    stamp = utc_stamp(booking.updated)
    cancelled = booking.status == Booking.Status.CANCELLED
    lines = [
        "BEGIN:VEVENT",
        fold("SUMMARY:" + escape_text(_summary(booking, audience, busy))),
        "DTSTART:" + utc_stamp(booking.start),
        "DTEND:" + utc_stamp(booking.end),
        "DTSTAMP:" + stamp,
        fold("UID:" + escape_text(booking.uid)),
        f"SEQUENCE:{int(booking.sequence)}",
        "CLASS:PRIVATE",
        "CREATED:" + utc_stamp(booking.created),
        fold("DESCRIPTION:" + escape_text(_description(booking, audience, studio, busy))),
        "LAST-MODIFIED:" + stamp,
    ]
    if location:
        lines.append(location)
    lines.append("STATUS:" + event_status(booking))
    lines.append("TRANSP:" + ("TRANSPARENT" if cancelled else "OPAQUE"))
    if audience in (Audience.CLIENT, Audience.INVITE):
        lines.append(fold("URL:" + manage_url(booking)))
    lines.append("END:VEVENT\r\n")
    return "\r\n".join(lines)


def events_ics(
    bookings: Iterable[Booking],
    *,
    audience: str,
    studio: Studio,
    busy_ids: Container[int] = frozenset(),
) -> str:
    """Every booking's VEVENT, concatenated; those in `busy_ids` as taken time only."""
    location = fold("LOCATION:" + escape_text(studio.address)) if studio.address else None
    return "".join(
        event_lines(b, audience=audience, studio=studio, location=location, busy=b.pk in busy_ids)
        for b in bookings
    )
