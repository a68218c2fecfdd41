"""The calendar settings page, its actions, and the dashboard panels."""

import pytest
from django.utils import timezone

from bookings import availability_cache
from bookings.models import BusyTime, CalendarConnection, CalendarFeed
from tests import factories
from tests.bookings.calendars import helpers as h
from tests.fixtures.caldav import free_port

pytestmark = pytest.mark.django_db
SETTINGS = "/workspace/calendars/"


def test_calendar_settings_is_for_staff(client):
    assert client.get(SETTINGS).status_code == 302  # to the login page
    client.force_login(h.client().user)
    assert client.get(SETTINGS).status_code == 403


def test_calendar_settings_shows_the_specialists_feed_and_connect_form(client):
    sydney = h.specialist()
    client.force_login(sydney.user)
    page = client.get(SETTINGS).content.decode()
    feed = CalendarFeed.objects.get(user=sydney.user, kind="specialist")
    assert f"/calendar/{feed.token}.ics" in page
    assert "Connect a calendar" in page
    assert "No calendars connected yet." in page


def test_calendar_settings_connects_an_ics_source_and_shows_it_working(
    client, ics_server, django_capture_on_commit_callbacks
):
    sydney = h.specialist()
    client.force_login(sydney.user)
    url = ics_server.publish(h.busy_ics())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/workspace/calendars/connections/add/",
            {"kind": "ics", "url": url, "name": "Google", "push_bookings": "on"},
        )
    assert response.status_code == 302
    connection = CalendarConnection.objects.get()
    assert connection.kind == "ics" and connection.push_bookings is False
    assert BusyTime.objects.filter(specialist=sydney).count() == 1

    page = client.get(SETTINGS).content.decode()
    assert "Google" in page and "Working" in page and "Calendar connected" in page


def test_calendar_settings_rejects_a_bad_address(client):
    client.force_login(h.specialist().user)
    response = client.post(
        "/workspace/calendars/connections/add/", {"kind": "caldav", "url": "file:///etc/passwd"}
    )
    assert response.status_code == 200
    assert "Enter an http(s) or webcal address." in response.content.decode()
    assert not CalendarConnection.objects.exists()


def test_calendar_settings_webcal_address_is_read_over_https(client):
    client.force_login(h.specialist().user)
    client.post(
        "/workspace/calendars/connections/add/",
        {"kind": "ics", "url": "webcal://calendar.example.org/secret/basic.ics"},
    )
    assert CalendarConnection.objects.get().url == "https://calendar.example.org/secret/basic.ics"


def test_calendar_settings_sync_now_shows_a_down_server_error(
    client, django_capture_on_commit_callbacks
):
    sydney = h.specialist()
    connection = CalendarConnection.objects.create(
        specialist=sydney, kind="caldav", url=f"http://127.0.0.1:{free_port()}/cal/", name="iCloud"
    )
    client.force_login(sydney.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workspace/calendars/connections/{connection.pk}/sync/")
    assert response.status_code == 302
    page = client.get(SETTINGS).content.decode()
    assert "Failing" in page
    assert "Could not reach the calendar server" in page
    workspace = client.get("/workspace/").content.decode()
    assert "1 calendar failing to sync" in workspace


def test_calendar_settings_sync_now_by_htmx_returns_the_cards(
    client, django_capture_on_commit_callbacks
):
    sydney = h.specialist()
    connection = CalendarConnection.objects.create(
        specialist=sydney, kind="ics", url=f"http://127.0.0.1:{free_port()}/x.ics", name="Mine"
    )
    client.force_login(sydney.user)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            f"/workspace/calendars/connections/{connection.pk}/sync/", HTTP_HX_REQUEST="true"
        )
    fragment = response.content.decode()
    queued = [job for job in queued if job is not availability_cache.generation_bump]
    assert response.status_code == 200 and len(queued) == 1
    assert fragment.lstrip().startswith('<div id="connection-list"')
    assert "Syncing…" in fragment and 'hx-trigger="every 3s"' in fragment  # polls until done

    queued[0]()  # the worker runs the sync
    after = client.get("/workspace/calendars/connections/").content.decode()
    assert "Failing" in after and "hx-trigger" not in after


def test_calendar_connections_of_another_specialist_are_404(client):
    theirs = CalendarConnection.objects.create(
        specialist=h.specialist(), kind="ics", url="https://example.org/a.ics"
    )
    client.force_login(h.specialist("Marco", "Alvarez").user)
    assert client.post(f"/workspace/calendars/connections/{theirs.pk}/sync/").status_code == 404
    assert client.post(f"/workspace/calendars/connections/{theirs.pk}/remove/").status_code == 404
    assert CalendarConnection.objects.filter(pk=theirs.pk, is_active=True).exists()


def test_calendar_settings_remove_disconnects_and_frees_busy_times(
    client, django_capture_on_commit_callbacks
):
    sydney = h.specialist()
    connection = CalendarConnection.objects.create(
        specialist=sydney, kind="ics", url="https://example.org/a.ics"
    )
    BusyTime.objects.create(
        specialist=sydney,
        connection=connection,
        start=timezone.now(),
        end=timezone.now() + timezone.timedelta(hours=1),
    )
    client.force_login(sydney.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workspace/calendars/connections/{connection.pk}/remove/")
    assert response.status_code == 302
    assert not CalendarConnection.objects.exists() and not BusyTime.objects.exists()


def test_calendar_owner_sees_every_specialists_connection(client):
    CalendarConnection.objects.create(
        specialist=h.specialist("Marco", "Alvarez"), kind="ics", url="https://e.org/a.ics"
    )
    client.force_login(factories.owner())
    page = client.get(SETTINGS).content.decode()
    assert "Marco Alvarez" in page
    assert "Whole studio" in page
    assert "Connect a calendar" not in page  # the owner has no specialist profile


def test_calendar_new_link_from_the_portal_replaces_the_clients_feed(client):
    hannah = h.client()
    client.force_login(hannah.user)
    portal = client.get("/portal/").content.decode()
    old = CalendarFeed.objects.get(user=hannah.user, kind="client").token
    assert f"/calendar/{old}.ics" in portal

    response = client.post("/calendar/feeds/client/new-link/", {"next": "/portal/"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    new = CalendarFeed.objects.get(user=hannah.user, kind="client").token
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    evil = client.post("/calendar/feeds/client/new-link/", {"next": "https://evil.example/"})
    assert evil["Location"] == "/portal/"
    assert client.post("/calendar/feeds/studio/new-link/").status_code == 404
