"""The client's program practice-session feed: practice days only, stable UIDs, SEQUENCE from
the program's versions, per-client privacy, conditional GET, constant queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.calendars.feeds import calendar_feeds_ensure
from bookings.models import CalendarFeed
from programs import services
from programs.demo import seed_catalog
from programs.models import Program
from tests import factories
from tests.bookings.calendars import helpers as h

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=NY)  # a Wednesday
START = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = "https://tonic.example"
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def catalog(db):
    return seed_catalog()


@pytest.fixture
def staff(db):
    return factories.SpecialistFactory().user


def make_program(catalog, staff, user=None, **extra) -> Program:
    user = user or factories.ClientFactory().user
    factories.on_care_team(user, staff)  # who assigns a program treats the client
    return services.program_create(
        client=user.client,
        by=staff,
        title=extra.pop("title", "Strong knees"),
        items=extra.pop(
            "items",
            [
                {"exercise": catalog["calf-stretch"]},
                {"exercise": catalog["heel-raises"], "days": [0]},
            ],
        ),
        start_date=START,
        weekly_frequency=extra.pop("weekly_frequency", 2),
        **extra,
    )


def program_feed_path(user) -> str:
    feed = next(f for f in calendar_feeds_ensure(user=user) if f.kind == "program")
    return f"/calendar/{feed.token}.ics"


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def test_program_feed_listed_in_the_api_for_a_client_with_an_active_program(api_as, catalog, staff):
    program = make_program(catalog, staff)
    rows = api_as(program.client.user).get("/api/calendar-feeds/").json()
    assert [r["kind"] for r in rows] == ["client", "program"]
    assert rows[1]["url"].startswith("https://tonic.example/calendar/")
    assert rows[1]["label"] == "My practice sessions"


def test_program_feed_not_offered_without_an_active_program(api_as, client, catalog, staff):
    draft = make_program(catalog, staff, status="draft")
    user = draft.client.user
    assert [r["kind"] for r in api_as(user).get("/api/calendar-feeds/").json()] == ["client"]
    assert api_as(user).post("/api/calendar-feeds/program/regenerate/").status_code == 404
    assert not CalendarFeed.objects.filter(kind="program").exists()


def test_program_feed_events_only_on_practice_days_parsed_by_both(client, catalog, staff):
    program = make_program(catalog, staff)  # frequency 2: Mon and Thu; heel raises Mon only
    body = fetch(client, program_feed_path(program.client.user)).content
    ical, vcal = h.parse_both(body)
    events = h.vevents(ical)
    assert set(h.vobject_events(vcal)) == set(events)
    days = sorted(e["DTSTART"].dt for e in events.values())
    assert days, "no events"
    assert {d.weekday() for d in days} == {0, 3}
    assert days[0] >= max(START, NOW.date() - timedelta(days=14))
    assert days[0] == START  # the program started 9 days ago: nothing before its start
    assert date(2026, 7, 30) <= days[-1] <= NOW.date() + timedelta(weeks=8)
    monday = events[f"program-{program.pk}-20260615@tonic"]
    thursday = events[f"program-{program.pk}-20260618@tonic"]
    assert str(monday["SUMMARY"]) == "Home practice: Strong knees"
    assert not isinstance(monday["DTSTART"].dt, datetime)  # all-day
    assert monday["DTEND"].dt == date(2026, 6, 16)
    assert "- Calf stretch" in str(monday["DESCRIPTION"])
    assert "heel raise" in str(monday["DESCRIPTION"]).lower()
    assert "heel raise" not in str(thursday["DESCRIPTION"]).lower()
    assert str(monday["URL"]) == f"https://tonic.example/portal/program/{program.pk}/"
    assert monday["SEQUENCE"] == program.version == 1
    assert str(monday["TRANSP"]) == "TRANSPARENT"


def test_program_feed_uids_stable_and_edit_bumps_sequence(client, catalog, staff, frozen):
    program = make_program(catalog, staff)
    path = program_feed_path(program.client.user)
    first = fetch(client, path)
    again = fetch(client, path)
    assert again.content == first.content
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    frozen.shift(timedelta(hours=1))
    services.program_update(
        program=program,
        by=staff,
        reason="Add a balance drill",
        items=[
            {"exercise": catalog["calf-stretch"]},
            {"exercise": catalog["heel-raises"], "days": [0]},
            {"exercise": catalog["toe-spreading"], "days": [3]},
        ],
    )
    edited = fetch(client, path)
    assert edited["ETag"] != first["ETag"]
    before = h.vevents(h.parse_both(first.content)[0])
    after = h.vevents(h.parse_both(edited.content)[0])
    assert set(before) == set(after)  # same UIDs
    uid = f"program-{program.pk}-20260618@tonic"
    assert after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1 == 2
    assert "toe" in str(after[uid]["DESCRIPTION"]).lower()


def test_program_feed_tokens_do_not_leak_other_clients_programs(client, catalog, staff):
    mine = make_program(catalog, staff, title="Mine")
    theirs = make_program(catalog, staff, title="Someone else's")
    body = fetch(client, program_feed_path(mine.client.user)).content.decode()
    assert "Mine" in body and "Someone else" not in body
    assert f"program-{theirs.pk}-" not in body
    client_feed = next(
        f for f in calendar_feeds_ensure(user=theirs.client.user) if f.kind == "client"
    )
    other_body = fetch(client, f"/calendar/{client_feed.token}.ics").content.decode()
    assert "Home practice" not in other_body


def test_program_feed_empties_when_the_program_ends(client, catalog, staff):
    program = make_program(catalog, staff)
    path = program_feed_path(program.client.user)
    assert h.vevents(h.parse_both(fetch(client, path).content)[0])
    services.program_set_status(program=program, by=staff, status=Program.Status.COMPLETED)
    assert h.vevents(h.parse_both(fetch(client, path).content)[0]) == {}


def test_program_feed_queries_do_not_grow_with_items(client, catalog, staff):
    small = make_program(catalog, staff, items=[{"exercise": catalog["calf-stretch"]}])
    slugs = list(catalog)[:12]
    big = make_program(
        catalog, staff, items=[{"exercise": catalog[s]} for s in slugs], weekly_frequency=7
    )
    counts = []
    for program in (small, big):
        path = program_feed_path(program.client.user)
        fetch(client, path)  # warm per-process caches (the studio row)
        with CaptureQueriesContext(connection) as ctx:
            fetch(client, path)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
