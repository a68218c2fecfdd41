"""Subscribable ICS feeds: content, privacy, a booking's life, DST, conditional GET, tokens."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Condition, User
from bookings.calendars.feeds import calendar_feeds_ensure
from bookings.models import Booking, CalendarFeed
from tests import factories
from tests.bookings.calendars import helpers as h

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def feed_path(user, kind: str) -> str:
    feed = next(f for f in calendar_feeds_ensure(user=user) if f.kind == kind)
    return f"/calendar/{feed.token}.ics"


def get_feed(client, user, kind: str):
    response = client.get(feed_path(user, kind))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def test_feed_api_lists_each_callers_feeds_and_creates_them_once(api_as, settings):
    settings.SITE_URL = "https://tonic.example"
    sydney, hannah = h.specialist(), h.client()
    owner = factories.owner()
    for user, kinds in [
        (sydney.user, ["specialist"]),
        (hannah.user, ["client"]),
        (owner, ["studio"]),
    ]:
        first = api_as(user).get("/api/calendar-feeds/")
        assert first.status_code == 200
        assert [row["kind"] for row in first.json()] == kinds
        url = first.json()[0]["url"]
        assert url.startswith("https://tonic.example/calendar/") and url.endswith(".ics")
        assert first.json()[0]["webcal_url"] == "webcal://" + url.removeprefix("https://")
        again = api_as(user).get("/api/calendar-feeds/").json()
        assert again[0]["url"] == url
    assert CalendarFeed.objects.count() == 3


def test_feed_api_needs_a_login(api, db):
    assert api.get("/api/calendar-feeds/").status_code == 401


def test_feed_specialist_parses_with_icalendar_and_vobject(client):
    h.studio()
    sydney = h.specialist()
    mine = [h.booking(specialist=sydney, start=h.next_weekday(d, 10, NY)) for d in (0, 2)]
    someone_elses = h.booking()

    body = get_feed(client, sydney.user, "specialist").content
    ical, vcal = h.parse_both(body)

    assert str(ical["VERSION"]) == "2.0"
    assert "Tonic" in str(ical["PRODID"])
    events = h.vevents(ical)
    assert set(events) == {b.uid for b in mine}
    assert someone_elses.uid not in body.decode()
    assert set(h.vobject_events(vcal)) == {b.uid for b in mine}
    for b in mine:
        event = events[b.uid]
        assert event.start == b.start
        assert f"DTSTART:{b.start.astimezone(UTC):%Y%m%dT%H%M%S}Z" in body.decode()
        assert event.end == b.end
        assert event["SEQUENCE"] == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event["DTSTAMP"].dt and event["LAST-MODIFIED"].dt
        assert str(event["SUMMARY"]) == f"Private session: {b.client.user.name}"
        v = h.vobject_events(vcal)[b.uid]
        assert v.dtstart.value == b.start and v.sequence.value == "0"


def test_feed_never_shows_health_details(client):
    h.studio()
    hannah = h.client()
    hannah.goals = "Walk without hip pain"
    hannah.save()
    hannah.conditions.add(Condition.objects.create(slug="knee-bursitis", name="Knee bursitis"))
    b = h.booking(client=hannah)
    Booking.objects.filter(pk=b.pk).update(notes="Osteoporosis, recent fall")
    owner = factories.owner()

    bodies = [
        get_feed(client, b.specialist.user, "specialist").content,
        get_feed(client, hannah.user, "client").content,
        get_feed(client, owner, "studio").content,
    ]
    for body in bodies:
        text = body.decode()
        assert b.uid in text
        for secret in ("Osteoporosis", "fall", "Knee bursitis", "hip pain"):
            assert secret not in text


def test_feed_studio_names_the_specialist_and_client_feed_has_address_and_manage_link(
    client, settings
):
    settings.SITE_URL = "https://tonic.example"
    h.studio()
    b = h.booking(specialist=h.specialist("Marco", "Alvarez"))

    studio_event = h.vevents(h.parse_both(get_feed(client, factories.owner(), "studio").content)[0])
    assert "Marco Alvarez" in str(studio_event[b.uid]["SUMMARY"])
    assert "Marco Alvarez" in str(studio_event[b.uid]["DESCRIPTION"])

    event = h.vevents(h.parse_both(get_feed(client, b.client.user, "client").content)[0])[b.uid]
    manage = f"https://tonic.example/bookings/manage/{b.manage_token}/"
    assert str(event["LOCATION"]) == h.STUDIO_ADDRESS
    assert h.STUDIO_ADDRESS in str(event["DESCRIPTION"])
    assert manage in str(event["DESCRIPTION"])
    assert str(event["URL"]) == manage
    assert str(event["SUMMARY"]) == "Private session with Marco Alvarez"


def test_feed_booking_life_keeps_uid_grows_sequence_and_shows_cancellation(client):
    h.studio()
    b = h.booking(start=h.next_weekday(1, 9, NY))
    user = b.client.user

    def event():
        ical, vcal = h.parse_both(get_feed(client, user, "client").content)
        assert set(h.vobject_events(vcal)) <= {b.uid}
        return h.vevents(ical).get(b.uid)

    created = event()
    assert created["SEQUENCE"] == 0

    moved_to = h.next_weekday(3, 14, NY)
    b = h.reschedule(b, moved_to)
    moved = event()
    assert str(moved["UID"]) == str(created["UID"])
    assert moved["SEQUENCE"] == 1
    assert moved.start == moved_to
    assert moved["LAST-MODIFIED"].dt >= created["LAST-MODIFIED"].dt

    b = h.cancel(b)
    cancelled = event()
    assert cancelled["SEQUENCE"] == 2
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["SUMMARY"]).startswith("Cancelled:")
    assert "Reschedule or cancel" not in str(cancelled["DESCRIPTION"])

    with time_machine.travel(timezone.now() + timedelta(days=31), tick=False):
        assert event() is None  # cancelled bookings stay in the feed for 30 days


def test_feed_dst_crossing_booking_keeps_its_local_time(client):
    """Booked in winter for 10:00 in New York, moved across the March DST change: the feed's UTC
    times shift by an hour so calendar apps still show 10:00 local."""
    h.studio()
    winter = datetime(2027, 3, 12, 10, 0, tzinfo=NY)  # Friday, EST (UTC-5)
    summer = datetime(2027, 3, 15, 10, 0, tzinfo=NY)  # Monday, EDT (UTC-4)
    with time_machine.travel(datetime(2027, 1, 15, 12, 0, tzinfo=UTC), tick=False):
        b = h.booking(start=winter)
        first = h.vevents(
            h.parse_both(get_feed(client, b.specialist.user, "specialist").content)[0]
        )
        assert first[b.uid].start == datetime(2027, 3, 12, 15, 0, tzinfo=UTC)
        b = h.reschedule(b, summer)
        body = get_feed(client, b.specialist.user, "specialist").content
    ical, vcal = h.parse_both(body)
    event = h.vevents(ical)[b.uid]
    assert "DTSTART:20270315T140000Z" in body.decode()
    assert event.start == datetime(2027, 3, 15, 14, 0, tzinfo=UTC)
    assert event.start.astimezone(NY).hour == 10
    assert event.end.astimezone(NY).time() == (summer + b.service.duration).time()
    assert h.vobject_events(vcal)[b.uid].dtstart.value.astimezone(NY).hour == 10


def test_feed_answers_304_while_nothing_changed(client):
    h.studio()
    b = h.booking()
    path = feed_path(b.specialist.user, "specialist")

    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert first.status_code == 200 and etag and last_modified

    same = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304 and same.content == b""
    assert same["ETag"] == etag
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    h.reschedule(b, b.start + timedelta(hours=2))
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"SEQUENCE:1" in changed.content


def test_feed_regenerated_or_revoked_token_stops_working(client, api_as):
    b = h.booking()
    user = b.specialist.user
    old = feed_path(user, "specialist")
    assert client.get(old).status_code == 200

    response = api_as(user).post("/api/calendar-feeds/specialist/regenerate/")
    assert response.status_code == 200
    new = "/calendar/" + response.json()["url"].rsplit("/", 1)[1]
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    assert api_as(user).delete("/api/calendar-feeds/specialist/").status_code == 204
    assert client.get(new).status_code == 404
    assert api_as(user).delete("/api/calendar-feeds/specialist/").status_code == 404
    fresh = api_as(user).get("/api/calendar-feeds/").json()[0]["url"]
    assert fresh.rsplit("/", 1)[1] not in (old, new)


def test_feed_api_404_for_a_feed_the_caller_may_not_have(api_as):
    hannah = h.client()
    response = api_as(hannah.user).post("/api/calendar-feeds/studio/regenerate/")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert api_as(hannah.user).delete("/api/calendar-feeds/nonsense/").status_code == 404


def test_feed_stops_when_its_owner_loses_the_right(client):
    owner = factories.owner()
    path = feed_path(owner, "studio")
    assert client.get(path).status_code == 200
    User.objects.filter(pk=owner.pk).update(role=User.Role.SPECIALIST)
    assert client.get(path).status_code == 404
    program = CalendarFeed.objects.create(user=h.client().user, kind=CalendarFeed.Kind.PROGRAM)
    assert client.get(f"/calendar/{program.token}.ics").status_code == 404


def test_feed_leaves_out_expired_holds_and_old_bookings(client):
    sydney = h.specialist()
    now = timezone.now()
    held = h.booking(
        specialist=sydney,
        start=now + timedelta(days=2),
        status="held",
        hold_expires_at=now + timedelta(minutes=10),
    )
    expired = h.booking(
        specialist=sydney,
        start=now + timedelta(days=3),
        status="held",
        hold_expires_at=now - timedelta(minutes=1),
    )
    old = h.booking(specialist=sydney, start=now - timedelta(days=120))
    recent = h.booking(specialist=sydney, start=now - timedelta(days=10))

    events = h.vevents(h.parse_both(get_feed(client, sydney.user, "specialist").content)[0])
    assert set(events) == {held.uid, recent.uid}
    assert str(events[held.uid]["STATUS"]) == "TENTATIVE"
    assert expired.uid not in events and old.uid not in events


def test_feed_query_count_is_flat_in_the_number_of_bookings(client):
    h.studio()
    owner = factories.owner()
    path = feed_path(owner, "studio")
    h.booking()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for _ in range(15):
        h.booking()
    assert queries() == one <= 4
