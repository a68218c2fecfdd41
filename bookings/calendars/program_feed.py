"""The client's program practice-session feed (CalendarFeed kind `program`).

One all-day event per planned practice day, from PROGRAM_PAST before the client's today to
PROGRAM_AHEAD after it. All-day, not timed: a client practises whenever their day allows, and an
all-day, TRANSPARENT event shows the plan without blocking their time or ringing an alarm at an
hour we would have to guess (nor can DST shift it).

- UID: `program-<id>-<yyyymmdd>@tonic`, stable across requests and edits.
- SEQUENCE: the program's version count (bumped by every edit of the active program), so calendar
  apps take the changed day's exercises.
- DTSTAMP/LAST-MODIFIED: the program's last change, so unchanged data gives identical bytes.
- SUMMARY "Home practice: <title>"; DESCRIPTION the day's exercises by name; URL the portal
  program page. Nothing about the client's conditions or logs.
The feed is offered (listed, created) only to a client with an active program. Once the program
is completed or archived the feed stays valid and is empty (calendar apps then remove the events
they had), so a later program appears under the same subscription; a client who never had a
published program gets 404.
Rendering is a constant number of queries (the active program with its items).
"""

from datetime import UTC, date, datetime, timedelta

import icalendar
from django.conf import settings

from accounts.models import ClientProfile, Studio
from bookings.calendars.events import new_calendar
from bookings.models import CalendarFeed
from programs.models import Program
from programs.practice import client_today, items_for_day, practice_dates
from programs.selectors import program_active_for

PROGRAM_PAST = timedelta(days=14)
PROGRAM_AHEAD = timedelta(weeks=8)


def has_active_program(user_id: int) -> bool:
    return Program.objects.filter(
        client__user_id=user_id, client__erased_at=None, status=Program.Status.ACTIVE
    ).exists()


def had_published_program(user_id: int) -> bool:
    """Whether the (not erased) client has or had a published program."""
    return Program.objects.filter(
        client__user_id=user_id, client__erased_at=None, version__gte=1
    ).exists()


def program_url(program: Program) -> str:
    return f"{settings.SITE_URL}/portal/program/{program.pk}/"


def practice_uid(program: Program, day: date) -> str:
    return f"program-{program.pk}-{day:%Y%m%d}@tonic"


def practice_event(program: Program, day: date) -> icalendar.Event:
    """One practice day as an all-day VEVENT."""
    stamp = program.updated.astimezone(UTC)
    names = [item.exercise.name for item in items_for_day(program, day)]
    event = icalendar.Event()
    event.add("uid", practice_uid(program, day))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("sequence", program.version)
    event.add("summary", f"Home practice: {program.title}")
    event.add(
        "description",
        "Today's exercises:\n"
        + "\n".join(f"- {name}" for name in names)
        + f"\n\nOpen your program and log your practice: {program_url(program)}",
    )
    event.add("url", program_url(program))
    event.add("last-modified", stamp)
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    event.add("status", "CONFIRMED")
    return event


def program_calendar(feed: CalendarFeed, *, studio: Studio) -> tuple[icalendar.Calendar, datetime]:
    """The feed's calendar and its last change (the program's, else the feed's creation)."""
    cal = new_calendar(name=f"{studio.name}: {CalendarFeed.Kind.PROGRAM.label}")
    cal.add("x-wr-caldesc", f"Your home practice plan from {studio.name}")
    cal.add("x-published-ttl", "PT6H")
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    client = ClientProfile.objects.filter(user_id=feed.user_id, erased_at=None).first()
    program = program_active_for(client=client) if client else None
    if client is None or program is None:
        return cal, feed.created
    today = client_today(client)
    for day in practice_dates(program, today - PROGRAM_PAST, today + PROGRAM_AHEAD):
        if items_for_day(program, day):
            cal.add_component(practice_event(program, day))
    return cal, max(program.updated, feed.created)
