"""Care teams: who joins a client's team and how, who changes it, the audit trail, the studio's
shared-files switch, and what another team's specialist sees (accounts/access.py)."""

import importlib
from urllib.parse import urlsplit

import pytest
from django.apps import apps

from accounts.models import AuditEvent, CareTeamMember, Enquiry, Studio
from tests import factories
from tests.accounts.conftest import enquiry_payload
from tests.fixtures.bookings import MONDAY_8AM_NY

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"
TUE_10 = "2026-06-02T10:00:00-04:00"


def team(client) -> dict[int, str]:
    return dict(CareTeamMember.objects.filter(client=client).values_list("specialist_id", "reason"))


@pytest.fixture
def sydney(db):
    return factories.SpecialistFactory(user__first_name="Sydney", user__last_name="Reed")


@pytest.fixture
def marco(db):
    return factories.SpecialistFactory(user__first_name="Marco", user__last_name="Alvarez")


@pytest.fixture
def hannah(sydney):
    """Sydney's client."""
    return factories.on_care_team(
        factories.ClientFactory(user__email="hannah@example.net", user__first_name="Hannah"),
        sydney,
    )


# --- the API ----------------------------------------------------------------------------------


def test_care_team_list_names_every_member_and_how_they_joined(api_as, hannah, sydney, marco):
    factories.on_care_team(hannah, marco, reason="booked")
    body = api_as(sydney.user).get(f"/api/clients/{hannah.pk}/care-team/").json()
    assert [(m["specialist"], m["name"], m["reason"]) for m in body] == [
        (sydney.pk, sydney.user.name, "added"),
        (marco.pk, marco.user.name, "booked"),
    ]
    # The client sees who treats them; the specialist off the team learns nothing.
    assert api_as(hannah.user).get(f"/api/clients/{hannah.pk}/care-team/").status_code == 200


def test_care_team_is_a_404_off_the_team_and_401_anonymous(api, api_as, hannah, marco):
    path = f"/api/clients/{hannah.pk}/care-team/"
    assert api.get(path).status_code == 401
    for method, body in (("get", None), ("post", {"specialist": marco.pk})):
        response = getattr(api_as(marco.user), method)(path, body, format="json")
        assert response.status_code == 404 and response.json()["detail"] == "No such client."
    response = api_as(marco.user).delete(f"{path}{marco.pk}/")
    assert response.status_code == 404
    assert api_as(marco.user).get("/api/clients/999999/care-team/").json() == response.json()
    assert team(hannah) == {hannah.care_team.get().specialist_id: "added"}


def test_team_member_adds_and_removes_and_access_follows(api_as, hannah, sydney, marco):
    file = f"/api/clients/{hannah.pk}/"
    assert api_as(marco.user).get(file).status_code == 404
    response = api_as(sydney.user).post(
        f"{file}care-team/", {"specialist": marco.pk}, format="json", REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 201
    assert response.json()["reason"] == "added"
    assert response.json()["added_by"] == sydney.user.pk
    assert api_as(marco.user).get(file).status_code == 200
    again = api_as(sydney.user).post(f"{file}care-team/", {"specialist": marco.pk}, format="json")
    assert again.status_code == 200 and team(hannah)[marco.pk] == "added"

    hannah.assigned_specialist = marco
    hannah.save()
    assert api_as(sydney.user).delete(f"{file}care-team/{marco.pk}/").status_code == 204
    assert api_as(marco.user).get(file).status_code == 404
    hannah.refresh_from_db()
    assert hannah.assigned_specialist is None
    missing = api_as(sydney.user).delete(f"{file}care-team/{marco.pk}/")
    assert missing.status_code == 404 and "not on the care team" in missing.json()["detail"]

    events = AuditEvent.objects.filter(client=hannah, action__startswith="team_").order_by("pk")
    assert [(e.action, e.actor, e.what) for e in events] == [
        ("team_added", sydney.user, f"{marco.user.name} (added)"),
        ("team_removed", sydney.user, f"{marco.user.name} (had joined: added)"),
    ]
    assert events[0].ip == "198.51.100.7"


def test_removing_a_member_who_joined_by_booking_ends_their_access(api_as, hannah, marco):
    factories.BookingFactory(client=hannah, specialist=marco)  # marco joins as "booked"
    owner = api_as(factories.owner())
    assert api_as(marco.user).get(f"/api/clients/{hannah.pk}/").status_code == 200
    assert owner.delete(f"/api/clients/{hannah.pk}/care-team/{marco.pk}/").status_code == 204
    assert api_as(marco.user).get(f"/api/clients/{hannah.pk}/").status_code == 404
    assert api_as(marco.user).get("/api/bookings/").json() == []


def test_only_the_owner_or_a_member_changes_the_team(api_as, hannah, sydney, marco):
    path = f"/api/clients/{hannah.pk}/care-team/"
    # The client sees the team but does not change it.
    assert (
        api_as(hannah.user).post(path, {"specialist": marco.pk}, format="json").status_code == 403
    )
    # With shared files Marco sees the client, yet is not on the team: he may not change it.
    Studio.objects.update_or_create(pk=1, defaults={"shared_client_files": True})
    assert api_as(marco.user).get(path).status_code == 200
    response = api_as(marco.user).post(path, {"specialist": marco.pk}, format="json")
    assert response.status_code == 403
    assert api_as(marco.user).delete(f"{path}{sydney.pk}/").status_code == 403
    assert marco.pk not in team(hannah) and sydney.pk in team(hannah)


def test_adding_an_unknown_or_inactive_specialist_is_a_field_error(api_as, hannah, marco):
    owner = api_as(factories.owner())
    path = f"/api/clients/{hannah.pk}/care-team/"
    marco.is_active = False
    marco.save()
    for body in ({"specialist": 999999}, {"specialist": marco.pk}):
        response = owner.post(path, body, format="json")
        assert response.status_code == 400 and response.json() == {
            "specialist": ["No such specialist."]
        }
    assert owner.post(path, {"specialist": "x"}, format="json").status_code == 400
    assert owner.post(path, {}, format="json").json()["specialist"]


# --- how specialists join ---------------------------------------------------------------------


def test_converting_an_enquiry_puts_the_converter_on_the_team(api, api_as, sydney):
    api.post("/api/enquiries/", enquiry_payload(), format="json")
    enquiry = Enquiry.objects.get()
    client_id = api_as(sydney.user).post(f"/api/enquiries/{enquiry.pk}/convert/").json()["client"]
    member = CareTeamMember.objects.get(client_id=client_id)
    assert (member.specialist, member.reason, member.added_by) == (sydney, "converted", sydney.user)
    assert AuditEvent.objects.filter(client_id=client_id, action="team_added").exists()


def test_assigning_a_specialist_puts_them_on_the_team(api_as, hannah, sydney, marco):
    response = api_as(sydney.user).patch(
        f"/api/clients/{hannah.pk}/", {"assigned_specialist": marco.pk}, format="json"
    )
    assert response.status_code == 200
    assert team(hannah)[marco.pk] == "added"
    assert CareTeamMember.objects.get(specialist=marco).added_by == sydney.user


@pytest.fixture
def two_desks(desk, monday, marco):
    """The bookings desk (its specialist is `desk.specialist`) with Marco offering too."""
    factories.weekday_hours(marco)
    desk.consultation.specialists.add(marco)
    return desk


def book(api, **body):
    return api.post("/api/bookings/", {"service": "consultation", **body}, format="json")


def test_a_logged_in_clients_booking_puts_the_specialist_on_the_team(api_as, two_desks, hannah):
    marco_id = two_desks.consultation.specialists.exclude(pk=two_desks.specialist.pk).get().pk
    assert book(api_as(hannah.user), start=TUE_9, specialist=marco_id).status_code == 201
    assert team(hannah)[marco_id] == "booked"
    member = CareTeamMember.objects.get(client=hannah, specialist_id=marco_id)
    assert member.added_by == hannah.user


def test_staff_booking_for_a_client_puts_the_specialist_on_the_team(
    api_as, two_desks, hannah, sydney, marco
):
    # Sydney (on Hannah's team) books her with Marco: Sydney vouches for the client.
    response = book(api_as(sydney.user), start=TUE_9, specialist=marco.pk, client=hannah.pk)
    assert response.status_code == 201
    assert team(hannah)[marco.pk] == "booked"


def test_staff_may_not_book_a_client_off_their_teams(api_as, two_desks, hannah, marco):
    for client in (hannah.pk, 999999):  # the same answer for another team's and no client
        response = book(api_as(marco.user), start=TUE_9, specialist=marco.pk, client=client)
        assert response.status_code == 404
        assert response.json() == {"client": ["No such client."]}
    assert not hannah.bookings.exists()


def test_a_guest_booking_for_a_new_address_puts_the_specialist_on_the_new_team(
    api, two_desks, marco
):
    response = book(api, start=TUE_9, specialist=marco.pk, name="New Person", email="new@ex.org")
    assert response.status_code == 201
    member = CareTeamMember.objects.get(specialist=marco)
    assert member.client.user.email == "new@ex.org" and member.reason == "booked"
    assert member.added_by is None


def test_a_guest_booking_with_an_existing_clients_address_opens_nothing(
    api, api_as, two_desks, hannah, marco
):
    """Anyone can type Hannah's address: the booking is made (as for anyone), but Marco does
    not join her team and sees only that his time is taken."""
    response = book(
        api, start=TUE_9, specialist=marco.pk, name="A Stranger", email="HANNAH@example.net"
    )
    assert response.status_code == 201
    booking_id = response.json()["id"]
    assert hannah.bookings.get().pk == booking_id
    assert marco.pk not in team(hannah)
    as_marco = api_as(marco.user)
    assert as_marco.get(f"/api/clients/{hannah.pk}/").status_code == 404
    assert as_marco.get(f"/api/bookings/{booking_id}/").status_code == 404
    assert as_marco.get("/api/bookings/").json() == []
    assert as_marco.get("/api/clients/", {"search": "hannah"}).json() == []


def test_staff_booking_by_address_of_an_off_team_client_opens_nothing(
    api_as, two_desks, hannah, marco
):
    """Marco typing Hannah's address (not her id) books like a guest: no team, no identity."""
    response = book(
        api_as(marco.user), start=TUE_9, specialist=marco.pk, name="Typed", email=hannah.email
    )
    assert response.status_code == 201
    body = response.json()
    assert body["client"] is None and body["client_name"] == "Typed"
    assert "Hannah" not in response.content.decode()
    assert marco.pk not in team(hannah)


# --- the studio switch ------------------------------------------------------------------------


def test_shared_client_files_is_the_owners_switch(api, api_as, hannah, marco):
    owner = api_as(factories.owner())
    assert api.get("/api/studio/").json().keys() == {"name", "address", "timezone", "currency"}
    assert owner.get("/api/studio/").json()["shared_client_files"] is False
    assert (
        api.patch("/api/studio/", {"shared_client_files": True}, format="json").status_code == 401
    )
    refused = api_as(marco.user).patch("/api/studio/", {"shared_client_files": True}, format="json")
    assert refused.status_code == 403
    assert api_as(marco.user).get(f"/api/clients/{hannah.pk}/").status_code == 404

    response = owner.patch("/api/studio/", {"shared_client_files": True}, format="json")
    assert response.status_code == 200 and response.json()["shared_client_files"] is True
    assert api_as(marco.user).get(f"/api/clients/{hannah.pk}/").status_code == 200
    assert [r["id"] for r in api_as(marco.user).get("/api/clients/").json()] == [hannah.pk]

    owner.patch("/api/studio/", {"shared_client_files": False}, format="json")
    assert api_as(marco.user).get(f"/api/clients/{hannah.pk}/").status_code == 404


def test_studio_patch_refuses_fields_it_does_not_change(api_as):
    owner = api_as(factories.owner())
    response = owner.patch("/api/studio/", {"name": "X", "shared_client_files": 1}, format="json")
    assert response.status_code == 400 and response.json() == {
        "name": ["This field cannot be changed here."]
    }
    response = owner.patch("/api/studio/", {"shared_client_files": "maybe"}, format="json")
    assert response.status_code == 400 and "shared_client_files" in response.json()


# --- what another team's specialist sees ------------------------------------------------------


def test_converted_enquiries_follow_their_client(api_as, hannah, marco, make_enquiry):
    theirs = make_enquiry(client=hannah, status=Enquiry.Status.CONVERTED, name="Hannah C")
    new = make_enquiry(email="someone@example.net", name="Someone New")
    as_marco = api_as(marco.user)
    assert [e["id"] for e in as_marco.get("/api/enquiries/").json()] == [new.pk]
    assert as_marco.get(f"/api/enquiries/{theirs.pk}/").status_code == 404
    assert as_marco.patch(f"/api/enquiries/{theirs.pk}/", {"staff_notes": "x"}).status_code == 404
    assert as_marco.get("/api/enquiries/", {"status": "converted"}).json() == []
    owner_rows = api_as(factories.owner()).get("/api/enquiries/").json()
    assert {e["id"] for e in owner_rows} == {theirs.pk, new.pk}


def test_inbox_counts_leave_out_another_teams_converted_enquiries(
    client, hannah, marco, make_enquiry
):
    make_enquiry(client=hannah, status=Enquiry.Status.CONVERTED)
    client.force_login(marco.user)
    html = client.get("/accounts/enquiries/?status=converted").content.decode()
    assert "Hannah" not in html
    assert 'Converted <span class="count">0</span>' in html
    assert 'All <span class="count">0</span>' in html


def test_schedule_and_feed_show_another_teams_client_as_busy_time(
    client, api_as, hannah, marco, time_machine
):
    """A guest booked Marco with Hannah's address: his schedule, today's panel and his ICS feed
    show the time as taken, without her name, the service or a link."""
    time_machine.move_to(MONDAY_8AM_NY, tick=False)
    service = factories.ServiceFactory(name="Knee rehab")
    booking = factories.BookingFactory(
        client=hannah, specialist=marco, service=service, care_team=False
    )
    client.force_login(marco.user)
    window = {
        "start": f"{booking.start.date()}T00:00:00Z",
        "end": f"{booking.start.date()}T23:59:00Z",
    }
    events = client.get("/studio/schedule/events/", window).json()
    assert len(events) == 1 and "url" not in events[0]
    assert events[0]["title"] == "Booked (client not on your care team)"
    assert "Hannah" not in str(events) and "Knee rehab" not in str(events)

    feeds = api_as(marco.user).get("/api/calendar-feeds/").json()
    text = client.get(urlsplit(feeds[0]["url"]).path).content.decode()
    assert "not on your care team" in text
    assert "Hannah" not in text and "Knee rehab" not in text

    factories.on_care_team(hannah, marco)
    events = client.get("/studio/schedule/events/", window).json()
    assert "Hannah" in events[0]["title"] and events[0]["url"]


# --- the audit trail --------------------------------------------------------------------------


def test_the_file_shows_who_viewed_it_and_who_changed_the_team(client, hannah, sydney, marco):
    client.force_login(sydney.user)
    client.post(f"/accounts/clients/{hannah.pk}/care-team/", {"specialist": marco.pk})
    client.force_login(marco.user)
    client.get(f"/accounts/clients/{hannah.pk}/")
    client.force_login(factories.owner())
    html = client.get(f"/accounts/clients/{hannah.pk}/").content.decode()
    trail = html[html.index("Privacy and audit trail") :]
    assert f"Care team joined: {marco.user.name} (added)" in trail
    assert f"<td>{marco.user.name}</td><td>Viewed: client file" in trail


# --- pages ------------------------------------------------------------------------------------


def test_care_team_panel_adds_and_removes_from_the_client_file(client, hannah, sydney, marco):
    client.force_login(sydney.user)
    html = client.get(f"/accounts/clients/{hannah.pk}/").content.decode()
    assert 'id="care-team"' in html and f'<option value="{marco.pk}">' in html
    response = client.post(f"/accounts/clients/{hannah.pk}/care-team/", {"specialist": marco.pk})
    assert response.status_code == 302 and response.url.endswith("#care-team")
    assert marco.pk in team(hannah)
    # Sydney leaves the team: the file closes to her, the page sends her to the client list.
    response = client.post(f"/accounts/clients/{hannah.pk}/care-team/{sydney.pk}/remove/")
    assert response.status_code == 302 and response.url == "/accounts/clients/"
    assert client.get(f"/accounts/clients/{hannah.pk}/").status_code == 404


def test_care_team_pages_are_404_off_the_team(client, hannah, marco):
    client.force_login(marco.user)
    add = client.post(f"/accounts/clients/{hannah.pk}/care-team/", {"specialist": marco.pk})
    remove = client.post(f"/accounts/clients/{hannah.pk}/care-team/{marco.pk}/remove/")
    assert (add.status_code, remove.status_code) == (404, 404)
    assert marco.pk not in team(hannah)


@pytest.mark.parametrize("clients", [2, 20])
def test_client_list_queries_do_not_grow_with_the_team(
    client, api_as, sydney, marco, clients, django_assert_num_queries
):
    """The same number of queries for 2 clients as for 20 (API and page), others' clients
    left out in the same query."""
    for _ in range(clients):
        person = factories.on_care_team(factories.ClientFactory(), sydney)
        person.conditions.add(*factories_conditions())
        factories.on_care_team(factories.ClientFactory(), marco)
    Studio.get()  # the settings row exists in a running studio
    api = api_as(sydney.user)
    client.force_login(sydney.user)
    with django_assert_num_queries(QUERIES["api"]):
        assert len(api.get("/api/clients/").json()) == clients
    with django_assert_num_queries(QUERIES["page"]):
        assert client.get("/accounts/clients/").status_code == 200


# Counted once and fixed here: the test above runs with 2 and with 20 clients.
QUERIES = {
    # shared-files flag, clients with user and specialist, conditions
    "api": 3,
    # session, user, the viewer's zone (profile, studio), shared-files flag, clients, conditions
    "page": 7,
}


def factories_conditions():
    from accounts.models import Condition

    condition, _ = Condition.objects.get_or_create(slug="knees", defaults={"name": "Knees"})
    return [condition]


# --- the backfill -----------------------------------------------------------------------------


def test_backfill_builds_teams_from_enquiries_assignments_and_trusted_bookings(
    sydney, marco, make_enquiry
):
    from datetime import timedelta

    from django.utils import timezone

    converted = factories.ClientFactory()
    make_enquiry(client=converted, status="converted", converted_by=sydney.user)
    assigned = factories.ClientFactory(assigned_specialist=marco)
    soon = timezone.now() + timedelta(days=3)
    by_client = factories.ClientFactory()
    factories.BookingFactory(
        client=by_client, specialist=marco, created_by=by_client.user, start=soon
    )
    by_guest_new = factories.ClientFactory()
    factories.BookingFactory(client=by_guest_new, specialist=sydney, start=soon)
    by_guest_existing = factories.ClientFactory()
    booking = factories.BookingFactory(
        client=by_guest_existing, specialist=marco, start=soon + timedelta(hours=2)
    )
    by_guest_existing.__class__.objects.filter(pk=by_guest_existing.pk).update(
        created=booking.created - timedelta(days=30)
    )
    CareTeamMember.objects.all().delete()

    importlib.import_module("accounts.migrations.0005_care_teams_backfill").backfill(apps, None)
    importlib.import_module("bookings.migrations.0005_care_teams_from_bookings").backfill(
        apps, None
    )

    assert team(converted) == {sydney.pk: "converted"}
    assert team(assigned) == {marco.pk: "added"}
    assert team(by_client) == {marco.pk: "booked"}
    assert team(by_guest_new) == {sydney.pk: "booked"}
    assert team(by_guest_existing) == {}


# --- e-mails to a specialist off the team -----------------------------------------------------


def test_the_specialists_email_about_a_guest_booking_for_an_off_team_client_names_no_one(
    api, two_desks, hannah, marco, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = book(
            api, start=TUE_9, specialist=marco.pk, name="A Stranger", email=hannah.email
        )
    assert response.status_code == 201
    [to_marco] = [m for m in mail.outbox if m.to == [marco.user.email]]
    assert "a client not on your care team" in to_marco.body
    assert "Hannah" not in to_marco.body and hannah.email not in str(to_marco.message())
    assert not to_marco.attachments  # the invite would name her as its attendee


def test_the_agenda_shows_an_off_team_clients_session_as_booked_time(hannah, marco):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.core import mail

    from bookings.reminders.tasks import agendas_schedule_task
    from tests.bookings.reminders.helpers import book as book_row
    from tests.bookings.reminders.helpers import run_due, utc

    ny = ZoneInfo("America/New_York")
    service = factories.ServiceFactory(name="Knee rehab", duration_minutes=30)
    with time_machine.travel(utc(2026, 6, 1, 12, 0), tick=False) as clock:
        book_row(
            start=datetime(2026, 6, 9, 10, tzinfo=ny),
            specialist=marco,
            service=service,
            client=hannah,
            care_team=False,
        )
        own = book_row(start=datetime(2026, 6, 9, 14, tzinfo=ny), specialist=marco, service=service)
        clock.move_to(datetime(2026, 6, 9, 7, tzinfo=ny))
        agendas_schedule_task.delay().get()
        run_due()
    [agenda] = [m for m in mail.outbox if m.subject.startswith("Your agenda")]
    assert "10:00 AM–10:30 AM  Booked (client not on your care team)\n" in agenda.body
    assert f"2:00 PM–2:30 PM  {own.client.user.name} · Knee rehab" in agenda.body
    assert "Hannah" not in agenda.body
