"""CalDAV against a real Radicale server, and ICS busy sources from a local HTTP server."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from bookings.calendars.caldav import calendar_connection_sync
from bookings.calendars.connections import calendar_connection_create, calendar_connection_remove
from bookings.calendars.credentials import decrypt_secret, encrypt_secret
from bookings.calendars.tasks import calendar_connections_sync_due_task
from bookings.models import BusyTime, CalendarConnection, CalendarPush
from tests.bookings.calendars import helpers as h
from tests.fixtures.caldav import RADICALE_SOLO_USER

pytestmark = [pytest.mark.django_db, pytest.mark.caldav]
NY = ZoneInfo("America/New_York")


def connect(specialist, url, server=None, **kw) -> CalendarConnection:
    kw.setdefault("kind", "caldav")
    if server is not None:
        kw.setdefault("username", server.username)
        kw.setdefault("password", server.password)
    return calendar_connection_create(specialist=specialist, url=url, **kw)


def ics(*events: str) -> bytes:
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
    for event in events:
        body += "BEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n" + event.strip().replace("\n", "\r\n")
        body += "\r\nEND:VEVENT\r\n"
    return (body + "END:VCALENDAR\r\n").encode()


def utc_stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def test_caldav_push_creates_updates_and_deletes_the_event(
    radicale_calendar, django_capture_on_commit_callbacks
):
    server, calendar = radicale_calendar
    h.studio()
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, str(calendar.url), server)

    with django_capture_on_commit_callbacks(execute=True):
        b = h.booking(specialist=sydney, start=h.next_weekday(1, 10, NY))
    created = h.remote_events(calendar)[b.uid]
    assert created["SEQUENCE"] == 0
    assert created.start == b.start
    assert str(created["SUMMARY"]) == f"Private session: {b.client.user.name}"
    assert "ATTENDEE" not in created and "ORGANIZER" not in created  # no server-sent invites

    new_start = h.next_weekday(3, 15, NY)
    with django_capture_on_commit_callbacks(execute=True):
        b = h.reschedule(b, new_start)
    events = h.remote_events(calendar)
    assert list(events) == [b.uid]
    assert events[b.uid]["SEQUENCE"] == 1
    assert events[b.uid].start == new_start
    assert CalendarPush.objects.get(booking=b).sequence == 1

    with django_capture_on_commit_callbacks(execute=True):
        h.cancel(b)
    assert h.remote_events(calendar) == {}
    assert not CalendarPush.objects.filter(booking=b).exists()
    connection.refresh_from_db()
    assert connection.last_success_at is not None and connection.failures == 0


def test_caldav_busy_import_turns_events_into_busy_times(
    radicale_calendar, django_capture_on_commit_callbacks
):
    server, calendar = radicale_calendar
    sydney = h.specialist()
    dentist = h.next_weekday(2, 13, NY)
    weekly = h.next_weekday(0, 8, NY)
    calendar.add_event(
        ics(f"UID:dentist\nSUMMARY:Dentist\nDTSTART:{utc_stamp(dentist)}\nDURATION:PT1H30M")
    )
    calendar.add_event(
        ics(
            "UID:school-run\nSUMMARY:School run\n"
            f"DTSTART;TZID=America/New_York:{weekly:%Y%m%dT%H%M%S}\nDURATION:PT45M\n"
            "RRULE:FREQ=WEEKLY;COUNT=3"
        )
    )
    calendar.add_event(
        ics(
            f"UID:free\nSUMMARY:Maybe\nTRANSP:TRANSPARENT\nDTSTART:{utc_stamp(dentist)}\nDURATION:PT1H"
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, str(calendar.url), server)
        own = h.booking(specialist=sydney, start=h.next_weekday(4, 10, NY))
    assert own.uid in h.remote_events(calendar)  # pushed there, and must not come back as busy

    busy = list(BusyTime.objects.filter(specialist=sydney).order_by("start"))
    assert {(b.external_uid, b.start, b.end) for b in busy} == {
        ("dentist", dentist, dentist + timedelta(minutes=90)),
        *(
            ("school-run", weekly + timedelta(weeks=i), weekly + timedelta(weeks=i, minutes=45))
            for i in range(3)
        ),
    }
    assert all(b.connection_id == connection.pk for b in busy)

    calendar.event_by_uid("dentist").delete()
    result = calendar_connection_sync(connection_id=connection.pk)  # now with the booking there
    assert (result.added, result.removed, result.kept) == (0, 1, 3)
    assert sorted(BusyTime.objects.values_list("external_uid", flat=True)) == ["school-run"] * 3


def test_caldav_down_server_is_recorded_and_never_fails_the_booking(
    down_server_url, django_capture_on_commit_callbacks
):
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, down_server_url, username="me", password="pw")
        b = h.booking(specialist=sydney)  # the push runs (eagerly) after commit and fails
        b = h.reschedule(b, b.start + timedelta(hours=1))

    b.refresh_from_db()
    assert b.status == "confirmed" and b.sequence == 1
    connection.refresh_from_db()
    assert "Could not reach the calendar server" in connection.last_error
    assert connection.last_error_at is not None and connection.last_success_at is None
    assert connection.failures == 3  # first sync, then one per push
    assert not CalendarPush.objects.exists()

    # The periodic job leaves it alone while it backs off, then tries again.
    assert calendar_connections_sync_due_task.delay().get() == 0
    CalendarConnection.objects.filter(pk=connection.pk).update(
        last_error_at=timezone.now() - timedelta(hours=7)
    )
    assert calendar_connections_sync_due_task.delay().get() == 1
    connection.refresh_from_db()
    assert connection.failures == 4


def test_caldav_wrong_password_is_recorded(radicale_calendar, django_capture_on_commit_callbacks):
    server, calendar = radicale_calendar
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(
            h.specialist(), str(calendar.url), username=server.username, password="wrong"
        )
    connection.refresh_from_db()
    assert connection.last_error == "The calendar server refused the username or password."


def test_caldav_recovers_and_pushes_what_it_missed(
    radicale_calendar, django_capture_on_commit_callbacks
):
    server, calendar = radicale_calendar
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, str(calendar.url), username=server.username, password="bad")
        b = h.booking(specialist=sydney)
    assert h.remote_events(calendar) == {}

    # Once the server accepts the login again, "sync now" pushes the booking it missed.
    CalendarConnection.objects.filter(pk=connection.pk).update(
        password_encrypted=encrypt_secret(server.password)
    )
    assert calendar_connection_sync(connection_id=connection.pk) is not None
    assert b.uid in h.remote_events(calendar)
    connection.refresh_from_db()
    assert connection.failures == 0 and connection.last_success_at > connection.last_error_at


def test_caldav_password_is_encrypted_at_rest(radicale_calendar, settings):
    server, calendar = radicale_calendar
    connection = connect(h.specialist(), str(calendar.url), server)
    stored = CalendarConnection.objects.values_list("password_encrypted", flat=True).get()
    assert server.password not in stored and stored
    assert decrypt_secret(stored) == server.password

    settings.FIELD_ENCRYPTION_KEY = "another key entirely"
    assert calendar_connection_sync(connection_id=connection.pk) is None
    connection.refresh_from_db()
    assert "cannot be decrypted" in connection.last_error


def test_caldav_account_address_finds_its_calendar(
    radicale_server, django_capture_on_commit_callbacks
):
    calendar = radicale_server.new_calendar(username=RADICALE_SOLO_USER)
    account_url = f"{radicale_server.url}{RADICALE_SOLO_USER}/"
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connect(sydney, account_url, radicale_server, username=RADICALE_SOLO_USER)
        b = h.booking(specialist=sydney)
    assert b.uid in h.remote_events(calendar)


def test_caldav_removing_a_connection_takes_its_events_out(
    radicale_calendar, django_capture_on_commit_callbacks
):
    server, calendar = radicale_calendar
    sydney = h.specialist()
    calendar.add_event(
        ics(f"UID:gym\nDTSTART:{utc_stamp(h.next_weekday(1, 7, NY))}\nDURATION:PT1H")
    )
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, str(calendar.url), server)
        b = h.booking(specialist=sydney)
    assert set(h.remote_events(calendar)) == {"gym", b.uid}
    assert BusyTime.objects.filter(connection=connection).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        calendar_connection_remove(connection=connection)
    assert set(h.remote_events(calendar)) == {"gym"}  # the specialist's own event stays
    assert not CalendarConnection.objects.exists()
    assert not BusyTime.objects.exists() and not CalendarPush.objects.exists()


def test_ics_source_weekly_event_blocks_every_week_across_dst(
    ics_server, django_capture_on_commit_callbacks
):
    """A public ICS address (like Google's secret address) with a weekly 10:00 New York event:
    each week's occurrence becomes busy at 10:00 local, before and after the DST change, except
    the week excluded with EXDATE."""
    sydney = h.specialist()
    now = datetime(2027, 2, 20, 12, 0, tzinfo=UTC)
    first = datetime(2027, 3, 1, 10, 0, tzinfo=NY)  # Mondays; DST starts 2027-03-14
    skipped = datetime(2027, 3, 22, 10, 0, tzinfo=NY)
    url = ics_server.publish(
        ics(
            "UID:pilates-class@google.com\nSUMMARY:Teaching elsewhere\n"
            f"DTSTART;TZID=America/New_York:{first:%Y%m%dT%H%M%S}\n"
            f"DTEND;TZID=America/New_York:{first.replace(hour=11):%Y%m%dT%H%M%S}\n"
            "RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270406T000000Z\n"
            f"EXDATE;TZID=America/New_York:{skipped:%Y%m%dT%H%M%S}"
        )
    )
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, url, kind="ics")

    busy = list(BusyTime.objects.filter(connection=connection).order_by("start"))
    local = [(b.start.astimezone(NY), b.end.astimezone(NY)) for b in busy]
    assert [s.date().isoformat() for s, _ in local] == [
        "2027-03-01",
        "2027-03-08",
        "2027-03-15",
        "2027-03-29",
        "2027-04-05",
    ]
    assert all(s.hour == 10 and e.hour == 11 and s.weekday() == 0 for s, e in local)
    assert [b.start.astimezone(UTC).hour for b in busy] == [15, 15, 14, 14, 14]
    assert ics_server.hits


def test_ics_source_that_is_not_a_calendar_is_an_error(ics_server):
    url = ics_server.publish(b"<html><body>Sign in</body></html>")
    connection = connect(h.specialist(), url, kind="ics")
    assert calendar_connection_sync(connection_id=connection.pk) is None
    connection.refresh_from_db()
    assert "did not return a calendar" in connection.last_error
    missing = connect(h.specialist(), ics_server.base_url + "/gone.ics", kind="ics")
    calendar_connection_sync(connection_id=missing.pk)
    missing.refresh_from_db()
    assert missing.last_error == "The calendar server answered 404 Not Found."


def test_caldav_periodic_sync_pushes_bookings_made_while_the_calendar_was_down(
    radicale_calendar, django_capture_on_commit_callbacks
):
    server, calendar = radicale_calendar
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connection = connect(sydney, str(calendar.url), server)
    broken = str(calendar.url).replace(server.url, server.url + "missing/")
    CalendarConnection.objects.filter(pk=connection.pk).update(url=broken)
    with django_capture_on_commit_callbacks(execute=True):
        b = h.booking(specialist=sydney)
    connection.refresh_from_db()
    assert connection.failures == 1 and h.remote_events(calendar) == {}

    CalendarConnection.objects.filter(pk=connection.pk).update(
        url=str(calendar.url), last_error_at=timezone.now() - timedelta(hours=1)
    )
    assert calendar_connections_sync_due_task.delay().get() == 1
    assert b.uid in h.remote_events(calendar)
