"""An anonymous caller learns nothing stored about an existing person (../shared/API.md).

Booking without logging in with someone's address used to answer that person's stored name and
client id, and the manage and pay pages showed them again: an oracle from an e-mail address to a
client of a health studio. Answers now echo only what the caller sent.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import IntakeForm, IntakeSubmission, User
from bookings.models import Booking
from tests import factories
from tests.bookings.test_pages import post_details

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"
WED_9 = "2026-06-03T09:00:00-04:00"


@pytest.fixture
def known(desk):
    """An existing client with a stored name and a zone of their own."""
    return factories.ClientFactory(
        user__email="known@example.org",
        user__first_name="Philippa",
        user__last_name="Storedname",
        timezone="Asia/Tokyo",
    )


def stored_traces(known) -> list[str]:
    return ["Philippa", "Storedname", "Asia/Tokyo", "JST"]


def shown(response) -> str:
    """A page without its time-zone menu, which lists every zone, Asia/Tokyo too: only the
    chosen option could tell, and it must not be the stored one."""
    page = response.content.decode()
    assert 'value="Asia/Tokyo" selected' not in page
    return re.sub(r"<option [^>]*>[^<]*</option>", "", page)


def test_guest_booking_with_a_clients_address_echoes_only_what_was_sent(
    guest_booking, desk, monday, known
):
    response = guest_booking(start=TUE_9, email="known@example.org", name="Someone Else")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["client"] is None
    assert body["client_name"] == "Someone Else"
    for trace in stored_traces(known):
        assert trace not in response.content.decode()
    # The booking is the client's all the same (they get the confirmation and can cancel it).
    assert Booking.objects.get(pk=body["id"]).client == known


def test_guest_booking_answers_look_alike_for_a_new_and_an_existing_address(
    guest_booking, desk, monday, known
):
    new = guest_booking(start=TUE_9, email="nobody@example.org", name="A Name").json()
    old = guest_booking(start=WED_9, email="known@example.org", name="A Name").json()
    assert set(new) == set(old)
    for body in (new, old):
        assert (body["client"], body["client_name"]) == (None, "A Name")


def test_token_holder_sees_no_client_identity_in_the_api(api, guest_booking, desk, monday, known):
    body = guest_booking(start=TUE_9, email="known@example.org", name="Someone Else").json()
    token = body["manage_token"]
    detail = api.get(f"/api/bookings/{body['id']}/", {"token": token})
    assert detail.status_code == 200
    assert (detail.json()["client"], detail.json()["client_name"]) == (None, None)
    moved = api.post(
        f"/api/bookings/{body['id']}/reschedule/", {"start": WED_9, "token": token}, format="json"
    )
    cancelled = api.post(f"/api/bookings/{body['id']}/cancel/", {"token": token}, format="json")
    for response in (detail, moved, cancelled):
        assert response.status_code == 200, response.json()
        for trace in stored_traces(known):
            assert trace not in response.content.decode()


def test_the_client_and_staff_still_see_who_booked(
    api_as, guest_booking, desk, monday, known, owner_user
):
    body = guest_booking(start=TUE_9, email="known@example.org", name="Someone Else").json()
    for user in (known.user, owner_user):
        seen = api_as(user).get(f"/api/bookings/{body['id']}/").json()
        assert (seen["client"], seen["client_name"]) == (known.pk, "Philippa Storedname")


def test_manage_and_pay_pages_show_no_stored_identity(client, guest_booking, desk, monday, known):
    body = guest_booking(start=TUE_9, email="known@example.org", name="Someone Else").json()
    token = body["manage_token"]
    manage = client.get(f"/bookings/manage/{token}/?new=1")
    pay = client.get(reverse("payments-pay", args=[token]))
    for response in (manage, pay):
        assert response.status_code == 200
        page = shown(response)
        assert "known@example.org" not in page
        for trace in stored_traces(known):
            assert trace not in page
    assert "America/New_York" in manage.content.decode()  # the studio's zone, not the client's


def test_the_emailed_manage_link_carries_the_clients_zone(
    guest_booking, desk, monday, known, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest_booking(start=TUE_9, email="known@example.org", name="Someone Else")
    (to_client,) = [m for m in mail.outbox if m.to == ["known@example.org"]]
    assert "?tz=Asia%2FTokyo" in to_client.body
    assert "Philippa" in to_client.body  # the mailbox's owner reads their own name


def test_booking_page_for_a_guest_shows_no_stored_identity(client, desk, monday, known):
    response = post_details(client, {"name": "Someone Else", "email": "known@example.org"})
    assert response.status_code == 302
    page = shown(client.get(response["Location"]))
    assert "You're booked" in page
    assert "known@example.org" not in page
    for trace in stored_traces(known):
        assert trace not in page


# --- refusals read the same whoever owns the address ------------------------------------------


def test_staff_address_refusal_reads_like_any_refused_address(
    guest_booking, desk, monday, settings
):
    staff = guest_booking(start=TUE_9, email=desk.specialist.user.email)
    studio_mailbox = guest_booking(start=TUE_9, email=settings.STUDIO_NOTIFY_EMAIL)
    assert staff.status_code == studio_mailbox.status_code == 400
    assert staff.json() == studio_mailbox.json()
    assert set(staff.json()) == {"email"}
    text = staff.content.decode().lower()
    assert "staff" not in text and "studio account" not in text
    assert not Booking.objects.exists()


def test_owner_address_with_a_zero_width_space_gets_no_booking_and_no_mail(
    guest_booking, desk, monday, django_capture_on_commit_callbacks
):
    """The issue's case: this once got past the staff guard; the owner was mailed."""
    factories.owner(email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_booking(start=TUE_9, email="owner@example.com\u200b")
    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    assert not Booking.objects.exists()
    assert User.objects.filter(email__icontains="owner@example.com").count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize("restriction", ["existing", "intake"])
def test_restricted_service_answers_a_guest_alike_whoever_owns_the_address(
    guest_booking, desk, monday, known, restriction
):
    if restriction == "existing":
        desk.session.audience = "existing"
    else:
        desk.session.intake_required = True
    desk.session.save()
    # `known` qualifies: a completed booking and an intake on file.
    factories.BookingFactory(client=known, specialist=desk.specialist, status="completed")
    form = IntakeForm.objects.order_by("-version").first()
    IntakeSubmission.objects.create(client=known, form=form, signature_name="P", signed_at=monday)
    answers = [
        guest_booking(service="private-session", start=TUE_9, email=email)
        for email in ("known@example.org", "stranger@example.org")
    ]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()
    assert not Booking.objects.filter(service=desk.session).exists()


def test_restricted_service_on_the_booking_page_asks_a_guest_to_log_in(client, desk, monday, known):
    desk.session.audience = "existing"
    desk.session.save()
    factories.BookingFactory(client=known, specialist=desk.specialist, status="completed")
    response = post_details(client, {"email": "known@example.org"}, slug="private-session")
    assert response.status_code == 200
    assert "Please log in to book this service." in response.content.decode()
    assert not Booking.objects.filter(service=desk.session).exists()


def test_enquiry_answer_is_the_same_for_a_clients_address(api, known):
    payload = {"name": "X", "message": "Sore feet.", "consent": True}
    old = api.post("/api/enquiries/", {**payload, "email": "known@example.org"}, format="json")
    new = api.post("/api/enquiries/", {**payload, "email": "fresh@example.org"}, format="json")
    assert (old.status_code, new.status_code) == (201, 201)
    assert set(old.json()) == set(new.json()) == {"id", "status"}
