"""The .ics invites attached to booking e-mails, and the hook the booking engine calls."""

from email import message_from_bytes

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from bookings.calendars.events import calendar_booking_changed, invite_attachment, invite_ics
from bookings.models import CalendarConnection
from tests.bookings.calendars import helpers as h

pytestmark = pytest.mark.django_db


def only_event(body: bytes):
    ical, vcal = h.parse_both(body)
    (event,) = ical.walk("VEVENT")
    return ical, vcal, event


def test_invite_request_is_an_itip_request_for_the_client():
    h.studio()
    b = h.booking(client=h.client("Hannah", "Client"), specialist=h.specialist("Sydney", "Reed"))

    ical, vcal, event = only_event(invite_ics(b, method="REQUEST"))

    assert str(ical["METHOD"]) == "REQUEST"
    assert vcal.method.value == "REQUEST"
    assert str(event["UID"]) == b.uid == vcal.vevent.uid.value
    assert event["SEQUENCE"] == b.sequence == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.start == b.start and event.end == b.end
    assert event["DTSTAMP"].dt.utcoffset().total_seconds() == 0
    assert str(event["ORGANIZER"]) == "mailto:info@pilatestonic.example"
    assert event["ORGANIZER"].params["CN"] == "Pilates Tonic"
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{b.client.user.email}"
    assert attendee.params["CN"] == "Hannah Client"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert str(event["SUMMARY"]) == "Private session with Sydney Reed"
    assert str(event["LOCATION"]) == h.STUDIO_ADDRESS


def test_invite_follows_the_booking_through_reschedule_and_cancel():
    h.studio()
    b = h.booking()
    first = only_event(invite_ics(b))[2]
    b = h.reschedule(b, b.start.replace(hour=(b.start.hour + 2) % 24))
    moved = only_event(invite_ics(b, "REQUEST"))[2]
    b = h.cancel(b)
    ical, vcal, cancelled = only_event(invite_ics(b, "CANCEL"))

    assert str(first["UID"]) == str(moved["UID"]) == str(cancelled["UID"])
    assert [first["SEQUENCE"], moved["SEQUENCE"], cancelled["SEQUENCE"]] == [0, 1, 2]
    assert moved.start == b.start
    assert str(ical["METHOD"]) == "CANCEL" and vcal.method.value == "CANCEL"
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_invite_rejects_other_methods():
    with pytest.raises(ValueError):
        invite_ics(h.booking(), method="PUBLISH")


def test_invite_attachment_travels_in_an_email_as_a_calendar_invitation(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    h.studio()
    b = h.booking()
    message = EmailMessage("Your booking is confirmed", "See you soon.", to=[b.client.user.email])
    message.attach(invite_attachment(b, "REQUEST"))
    message.send()

    sent = message_from_bytes(mail.outbox[0].message().as_bytes())
    (part,) = [p for p in sent.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == "invite.ics"
    _, _, event = only_event(part.get_payload(decode=True))
    assert str(event["UID"]) == b.uid


def test_hook_queues_nothing_without_a_connected_calendar(django_capture_on_commit_callbacks):
    b = h.booking()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        calendar_booking_changed(b)
    assert callbacks == []

    CalendarConnection.objects.create(
        specialist=b.specialist, kind="ics", url="https://example.org/busy.ics"
    )
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        calendar_booking_changed(b)
    assert callbacks == []  # a read-only ICS source gets no pushes

    CalendarConnection.objects.create(
        specialist=b.specialist, kind="caldav", url="https://dav.example.org/cal/"
    )
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        calendar_booking_changed(b)
    assert len(callbacks) == 1  # queued for after the commit, not run inside the transaction
