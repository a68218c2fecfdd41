"""The confirmation page's "add to calendar" and next step (bookings/confirmation.py)."""

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from icalendar import Calendar

from accounts.models import IntakeForm, IntakeSubmission
from bookings.models import Booking

pytestmark = pytest.mark.django_db

TUE_9 = "2026-06-02T09:00:00-04:00"


@pytest.fixture
def booked(client, desk, monday):
    """A guest's confirmed consultation, Tue 2 June 2026 09:00 New York (13:00 UTC)."""
    client.post(
        f"/book/consultation/details/?specialist=any&start={TUE_9}&tz=Europe/London",
        {"name": "Gail Guest", "email": "gail@example.org", "phone": "", "notes": ""},
    )
    return Booking.objects.get()


def confirmation(client, booking) -> str:
    return client.get(f"/bookings/manage/{booking.manage_token}/?new=1").content.decode()


def test_confirmation_offers_the_bookings_ics_and_a_google_calendar_link(client, booked):
    page = confirmation(client, booked)
    ics_url = f"/bookings/manage/{booked.manage_token}/booking.ics"
    assert f'href="{ics_url}"' in page
    response = client.get(ics_url)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == booked.uid
    assert event.decoded("dtstart") == datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    assert str(event["summary"]) == f"Consultation with {booked.specialist.user.name}"

    google = next(
        href.replace("&amp;", "&")
        for href in page.split('href="')[1:]
        if href.startswith("https://calendar.google.com/")
    ).split('"')[0]
    query = parse_qs(urlparse(google).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["dates"] == ["20260602T130000Z/20260602T133000Z"]
    assert query["text"] == [f"Consultation with {booked.specialist.user.name}"]
    assert booked.manage_token not in google


def test_confirmation_sends_a_guest_to_log_in_for_the_health_form(client, booked):
    page = confirmation(client, booked)
    assert "Wear comfortable clothes" in page
    assert 'href="/accounts/login/?next=/accounts/intake/"' in page
    assert "Fill in the health form" not in page  # nothing about the address's owner


def test_confirmation_asks_the_client_for_the_intake_until_it_is_done(client, booked):
    client.force_login(booked.client.user)
    assert "Fill in the health form</strong>" in confirmation(client, booked)
    IntakeSubmission.objects.create(
        client=booked.client,
        form=IntakeForm.objects.get(version=1),
        signature_name="Gail Guest",
        signed_at=timezone.now(),
    )
    page = confirmation(client, booked)
    assert "health form" not in page and "Wear comfortable clothes" in page


def test_calendar_file_of_an_unknown_token_is_404(client, desk):
    assert client.get("/bookings/manage/nope/booking.ics").status_code == 404


def test_a_cancelled_booking_offers_no_calendar(client, booked):
    Booking.objects.filter(pk=booked.pk).update(status="cancelled")
    assert "booking.ics" not in confirmation(client, booked)
