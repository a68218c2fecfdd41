"""Waitlists that fill themselves: FIFO offers by e-mail, single-use claims, lapses that move
on (the worker's job, exactly once), the cut-off race, ineligible heads skipped."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from bookings.classes import services, waitlist
from bookings.classes.models import WaitlistEntry, WaitlistOffer
from bookings.classes.tasks import offers_lapse_due_task
from bookings.models import Booking
from bookings.services import booking_cancel
from studio.kernel.outbox import outbox_sweep
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_class(make_class):
    """A class of 2, booked full, with three clients waiting (w0 first)."""
    occurrence = make_class(capacity=2, days=3)
    places = [
        services.class_book(occurrence=occurrence, user=c.user)[0]
        for c in factories.ClientFactory.create_batch(2)
    ]
    waiting = [factories.ClientFactory(user__email=f"w{i}@example.org") for i in range(3)]
    for client in waiting:
        waitlist.waitlist_join(occurrence=occurrence, client=client)
    return occurrence, places, waiting


def offers_to(email: str) -> list[str]:
    """Claim tokens e-mailed to this address."""
    return [
        re.search(r"/classes/claim/([\w-]+)/", m.body).group(1)
        for m in mail.outbox
        if m.to == [email] and "A place is free" in m.subject
    ]


def test_join_answers_the_position_and_only_when_full(api_as, make_class, full_class):
    occurrence, _, _ = full_class
    client = factories.ClientFactory()
    response = api_as(client.user).post(
        f"/api/classes/{occurrence.pk}/waitlist/", {}, format="json"
    )
    assert response.status_code == 201 and response.json() == {"position": 4}
    again = api_as(client.user).post(f"/api/classes/{occurrence.pk}/waitlist/", {}, format="json")
    assert again.status_code == 409
    open_class = make_class(capacity=5, days=5)
    early = api_as(client.user).post(f"/api/classes/{open_class.pk}/waitlist/", {}, format="json")
    assert early.status_code == 409
    left = api_as(client.user).delete(f"/api/classes/{occurrence.pk}/waitlist/")
    assert left.status_code == 204


def test_a_cancel_offers_the_place_to_the_first_in_line_who_claims_it_once(
    api, full_class, django_capture_on_commit_callbacks
):
    occurrence, places, waiting = full_class
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=places[0], by=places[0].client.user)
    [token] = offers_to("w0@example.org")
    assert not offers_to("w1@example.org")
    # The place is kept for w0: nobody else can book it meanwhile.
    response = api.post(
        f"/api/classes/{occurrence.pk}/book/",
        {"name": "Quick", "email": "quick@example.org"},
        format="json",
    )
    assert response.status_code == 409 and response.json()["code"] == "full"
    claimed = api.post("/api/waitlist/claim/", {"token": token}, format="json")
    assert claimed.status_code == 201, claimed.json()
    booking = Booking.objects.get(pk=claimed.json()["id"])
    assert booking.client == waiting[0] and booking.occurrence == occurrence
    assert api.post("/api/waitlist/claim/", {"token": token}, format="json").status_code == 409
    assert WaitlistEntry.objects.get(client=waiting[0]).status == "booked"


def test_offer_window_is_the_shorter_of_two_hours_and_a_quarter_of_the_time_left():
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    assert waitlist.offer_window(now + timedelta(days=3), now) == timedelta(hours=2)
    assert waitlist.offer_window(now + timedelta(hours=4), now) == timedelta(hours=1)


def test_a_lapsed_offer_moves_to_the_next_person_once_by_the_worker_job(
    api, full_class, django_capture_on_commit_callbacks
):
    occurrence, places, waiting = full_class
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=places[0], by=places[0].client.user)
    [token] = offers_to("w0@example.org")
    later = (datetime.now(UTC) + timedelta(hours=2, minutes=1)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_lapse_due_task.delay(later).get() == 1
        assert offers_lapse_due_task.delay(later).get() == 0  # a rerun lapses nothing twice
    assert len(offers_to("w1@example.org")) == 1
    assert not offers_to("w2@example.org")
    gone = api.post("/api/waitlist/claim/", {"token": token}, format="json")
    assert gone.status_code == 410
    assert WaitlistOffer.objects.filter(status="open").count() == 1
    # w0's entry says why they lost their turn: the offer lapsed (not "could not take a place").
    assert WaitlistEntry.objects.get(client=waiting[0], occurrence=occurrence).status == "lapsed"


def test_a_declined_offer_goes_to_the_next_person_at_once(
    full_class, django_capture_on_commit_callbacks
):
    occurrence, places, _ = full_class
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=places[0], by=places[0].client.user)
    with django_capture_on_commit_callbacks(execute=True):
        waitlist.offer_decline(token=offers_to("w0@example.org")[0])
    assert len(offers_to("w1@example.org")) == 1


def test_an_ineligible_head_is_skipped(full_class, make_class, django_capture_on_commit_callbacks):
    occurrence, places, waiting = full_class
    # w0 has meanwhile booked another class at the same time (another instructor).
    other = make_class(start=occurrence.start, instructor=factories.SpecialistFactory(), capacity=3)
    services.class_book(occurrence=other, user=waiting[0].user)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=places[0], by=places[0].client.user)
    assert not offers_to("w0@example.org")
    assert len(offers_to("w1@example.org")) == 1
    assert WaitlistEntry.objects.get(client=waiting[0], occurrence=occurrence).status == "skipped"


def test_after_the_cut_off_the_first_claim_wins(
    api, make_class, django_capture_on_commit_callbacks, time_machine
):
    occurrence = make_class(capacity=1, days=3)
    [place] = [services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)[0]]
    for i in range(3):
        waitlist.waitlist_join(
            occurrence=occurrence,
            client=factories.ClientFactory(user__email=f"w{i}@example.org"),
        )
    time_machine.move_to(occurrence.start - timedelta(minutes=30), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=place, by=factories.owner(email="o@example.org"))
    tokens = [offers_to(f"w{i}@example.org")[0] for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        second = api.post("/api/waitlist/claim/", {"token": tokens[1]}, format="json")
        first = api.post("/api/waitlist/claim/", {"token": tokens[0]}, format="json")
    assert second.status_code == 201
    assert first.status_code == 409 and first.json()["code"] == "full"


def test_raising_the_capacity_offers_the_new_places(
    full_class, owner_user, django_capture_on_commit_callbacks
):
    occurrence, _, _ = full_class
    with django_capture_on_commit_callbacks(execute=True):
        services.occurrence_edit(occurrence=occurrence, capacity=4, by=owner_user)
    assert offers_to("w0@example.org") and offers_to("w1@example.org")
    assert not offers_to("w2@example.org")


def test_an_unknown_claim_token_is_a_404(api, db):
    assert api.post("/api/waitlist/claim/", {"token": "nope"}, format="json").status_code == 404


def test_the_cached_timetable_follows_the_waitlist(
    api, full_class, settings, django_capture_on_commit_callbacks
):
    settings.AVAILABILITY_CACHE_SECONDS = 300
    occurrence, places, _ = full_class
    day = occurrence.start.date()

    def row():
        rows = api.get(f"/api/classes/?start={day}&end={day}").json()
        return next(r for r in rows if r["id"] == occurrence.pk)

    assert (row()["spots_left"], row()["waiting"]) == (0, 3)
    with django_capture_on_commit_callbacks(execute=True):
        waitlist.waitlist_leave(occurrence=occurrence, client=full_class[2][2])
    assert row()["waiting"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=places[0], by=places[0].client.user)
    assert row()["spots_left"] == 0, "the freed place is held for the offer"
    later = (datetime.now(UTC) + timedelta(hours=3)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        offers_lapse_due_task.delay(later).get()
    assert row()["waiting"] == 1


def test_an_offer_is_texted_once_to_a_client_with_a_phone(
    make_class, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence = make_class(capacity=1, days=3)
    [place] = [services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)[0]]
    texted = factories.ClientFactory(user__email="t@example.org", phone="+447700900123")
    mailed = factories.ClientFactory(user__email="m@example.org", phone="")
    for client in (texted, mailed):
        waitlist.waitlist_join(occurrence=occurrence, client=client)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=place, by=place.client.user)
    outbox_sweep()  # a second delivery round sends nothing again
    [token] = offers_to("t@example.org")
    [text] = sms_outbox
    assert text.to == "+447700900123"
    assert f"/classes/claim/{token}/" in text.body and "Reformer" in text.body
    # The offer lapses to the next person, who has no phone: an e-mail, no SMS.
    offer = WaitlistOffer.objects.get(token=token)
    with django_capture_on_commit_callbacks(execute=True):
        waitlist.offers_lapse_due(now=offer.expires_at + timedelta(seconds=1))
    assert len(offers_to("m@example.org")) == 1 and len(sms_outbox) == 1
