"""Booking e-mails: what they say, when they are dropped, and delivery by a real Celery worker."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from bookings import notifications
from bookings.models import Booking
from studio.models import OutboxMessage
from studio.tasks import outbox_sweep_task
from tests import factories
from tests.fixtures.bookings import FlakySMTPBackend

TUE_9 = "2026-06-02T09:00:00-04:00"


@pytest.mark.django_db
def test_an_invite_from_the_calendar_hook_is_attached(
    api, guest_booking, desk, monday, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def invite(booking, method="REQUEST", audience=None):
        calls.append(method)
        return b"BEGIN:VCALENDAR\r\nMETHOD:" + method.encode() + b"\r\nEND:VCALENDAR\r\n"

    monkeypatch.setattr(notifications, "invite_ics", invite)
    with django_capture_on_commit_callbacks(execute=True):
        booked = guest_booking(start=TUE_9).json()
    message = next(m for m in mail.outbox if m.to == ["gail@example.org"])
    [(name, content, mimetype)] = message.attachments
    assert name == "invite.ics"
    assert mimetype == "text/calendar; method=REQUEST"
    assert "METHOD:REQUEST" in content
    part = message.message().get_payload()[1]
    assert (part.get_content_type(), part.get_param("method")) == ("text/calendar", "REQUEST")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            f"/api/bookings/{booked['id']}/cancel/",
            {"token": booked["manage_token"]},
            format="json",
        )
    cancel = next(m for m in mail.outbox if m.to == ["gail@example.org"])
    assert cancel.attachments[0][2] == "text/calendar; method=CANCEL"
    assert calls[-1] == "CANCEL"


@pytest.mark.django_db
def test_the_confirmation_carries_the_real_invite_for_this_booking(
    guest_booking, desk, monday, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booked = guest_booking(start=TUE_9).json()
    message = next(m for m in mail.outbox if m.to == ["gail@example.org"])
    [(name, content, mimetype)] = message.attachments
    assert (name, mimetype) == ("invite.ics", "text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    booking = Booking.objects.get(pk=booked["id"])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == booking.uid
    assert event.decoded("DTSTART") == booking.start


@pytest.mark.django_db
def test_outdated_news_is_not_sent(guest_booking, desk, monday):
    booked = guest_booking(start=TUE_9).json()
    Booking.objects.filter(pk=booked["id"]).update(status="cancelled")
    mail.outbox.clear()
    assert (
        notifications.booking_notify(booking_id=booked["id"], kind="confirmed", audience="client")
        is False
    )
    assert mail.outbox == []


def _wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_the_confirmation_after_a_refused_smtp_send(
    api, desk, booking_worker, settings
):
    settings.EMAIL_BACKEND = "tests.fixtures.bookings.FlakySMTPBackend"
    settings.OUTBOX_RETRY_SECONDS = 0  # due again at once: the sweep below retries it
    FlakySMTPBackend.FAILURES, FlakySMTPBackend.failed = 1, 0
    day = (timezone.now() + timedelta(days=3)).date()
    slots = api.get(
        "/api/availability/",
        {"service": "consultation", "start": day, "end": day + timedelta(days=4)},
    ).json()["slots"]
    response = api.post(
        "/api/bookings/",
        {
            "service": "consultation",
            "start": slots[0]["start"],
            "name": "Wendy Worker",
            "email": "wendy@example.org",
        },
        format="json",
    )
    assert response.status_code == 201
    assert _wait_for(lambda: OutboxMessage.objects.filter(status="retrying").exists())
    # The other e-mail goes (its task may run just after); the refused one waits for a sweep.
    assert _wait_for(lambda: len(mail.outbox) == 1)

    outbox_sweep_task.delay()  # what beat sends every OUTBOX_SWEEP_EVERY_SECONDS

    assert _wait_for(lambda: len(mail.outbox) == 2), f"only {len(mail.outbox)} e-mails arrived"
    assert FlakySMTPBackend.failed == 1  # one send was refused and retried
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"done"}
    assert {m.to[0] for m in mail.outbox} == {"wendy@example.org", desk.specialist.user.email}


@pytest.mark.django_db
def test_the_specialists_invite_is_titled_with_the_clients_name(desk):
    booking = factories.BookingFactory(specialist=desk.specialist, service=desk.consultation)
    client, specialist = booking.client.user.name, desk.specialist.user.name

    def invite_event(audience):
        message = notifications.booking_message(booking, "confirmed", audience)
        return Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")[0]

    theirs = invite_event("specialist")
    assert str(theirs["summary"]) == f"Consultation: {client}"
    assert specialist not in str(theirs["summary"])
    assert "url" not in theirs  # the client's manage link is the client's alone
    assert str(invite_event("client")["summary"]) == f"Consultation with {specialist}"
