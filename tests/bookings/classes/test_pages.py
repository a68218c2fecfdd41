"""The /classes/ timetable, booking from it, the offer claim page and the staff roster."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings.classes import services, waitlist
from bookings.classes.models import ClassCheckIn
from bookings.models import Booking
from bookings.services import booking_cancel
from tests import factories
from tests.conftest import login, page_width

pytestmark = pytest.mark.django_db


def test_timetable_shows_places_left_in_the_visitors_zone(client, make_class):
    occurrence = make_class(capacity=3)  # 09:00 New York
    services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
    week = occurrence.start.date().isoformat()
    page = client.get(f"/classes/?week={week}&tz=Asia/Tokyo").content.decode()
    assert "2 of 3 places left" in page
    tokyo = occurrence.start.astimezone(ZoneInfo("Asia/Tokyo"))  # 09:00 New York: 22:00 or 23:00
    assert f"{tokyo.hour - 12}:00 PM" in page and "9:00 AM" not in page
    assert "Asia/Tokyo" in page


def test_timetable_filters_by_class_type_and_instructor(client, make_class):
    reformer = make_class(title="Reformer")
    mat = make_class(title="Mat", instructor=factories.SpecialistFactory(), start=reformer.start)
    week = reformer.start.date().isoformat()
    page = client.get(f"/classes/?week={week}&type=mat").content.decode()
    assert reverse("class-book", args=[mat.pk]) in page
    assert reverse("class-book", args=[reformer.pk]) not in page
    page = client.get(f"/classes/?week={week}&instructor={reformer.instructor_id}").content.decode()
    assert reverse("class-book", args=[reformer.pk]) in page
    assert reverse("class-book", args=[mat.pk]) not in page


def test_nonsense_filters_render_the_page(client, studio):
    for query in ("week=notadate", "week=99999-01-01", "tz=Mars/Base", "instructor=abc"):
        assert client.get(f"/classes/?{query}").status_code == 200


def test_a_guest_books_a_place_from_the_page(client, make_class):
    occurrence = make_class(capacity=2)
    response = client.post(
        reverse("class-book", args=[occurrence.pk]),
        {"name": "Gail Guest", "email": "gail@example.org", "tz": "Europe/London"},
    )
    assert response.status_code == 302 and "/bookings/manage/" in response["Location"]
    assert Booking.objects.get(occurrence=occurrence).client.user.email == "gail@example.org"


def test_the_claim_page_claims_only_on_post(client, make_class, django_capture_on_commit_callbacks):
    occurrence = make_class(capacity=1)
    place, _ = services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
    waiter = factories.ClientFactory()
    waitlist.waitlist_join(occurrence=occurrence, client=waiter)
    booking_cancel(booking=place, by=place.client.user)
    offer = occurrence.offers.get()
    url = reverse("class-claim", args=[offer.token])
    assert "Claim my place" in client.get(url).content.decode()
    assert not Booking.objects.filter(
        client=waiter
    ).exists()  # a GET (a mail scanner) books nothing
    assert client.post(url).status_code == 302
    assert Booking.objects.get(client=waiter).occurrence == occurrence


def test_roster_is_for_staff_and_ticks_attendance(client, make_class, owner_user):
    occurrence = make_class(capacity=3)
    place, _ = services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
    url = reverse("class-roster", args=[occurrence.pk])
    client.force_login(place.client.user)
    assert client.get(url).status_code == 403
    client.force_login(owner_user)
    assert place.client.name in client.get(url).content.decode()
    client.post(
        reverse("class-check-in", args=[occurrence.pk]), {"booking": place.pk, "present": "1"}
    )
    assert ClassCheckIn.objects.filter(booking=place).exists()
    client.post(
        reverse("class-check-in", args=[occurrence.pk]), {"booking": place.pk, "present": "0"}
    )
    assert not ClassCheckIn.objects.filter(booking=place).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_in_london_books_a_demo_class(phone_in_london, live_server, demo):
    from bookings.classes.models import ClassOccurrence

    page = phone_in_london
    first = ClassOccurrence.objects.filter(class_type__name="Reformer").order_by("start").first()
    page.goto(f"{live_server.url}/classes/?week={first.start.date()}")
    expect(page).to_have_url(re.compile(r"tz=Europe%2FLondon|tz=Europe/London"))
    expect(page.get_by_text("Times are shown in Europe/London")).to_be_visible()
    assert page_width(page) <= 390
    page.get_by_role("button", name=re.compile(r"^Book Reformer")).first.click()
    page.get_by_label("Your name").fill("Lena London")
    page.get_by_label("Email").fill("lena@example.org")
    page.get_by_role("button", name="Book my place").click()
    expect(page.get_by_role("heading", name="You're booked")).to_be_visible()
    assert Booking.objects.get(client__user__email="lena@example.org").occurrence_id


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_tick_attendance_on_a_phone(chromium, live_server, demo):
    from bookings.classes.models import ClassOccurrence

    occurrence = ClassOccurrence.objects.order_by("start").first()
    place, _ = services.class_book(
        occurrence=occurrence, user=factories.ClientFactory(user__email="pia@example.org").user
    )
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(page, live_server, "owner@example.com", "tonic-demo-2026")
    page.goto(f"{live_server.url}{reverse('class-roster', args=[occurrence.pk])}")
    page.get_by_role("button", name="Check in").click()
    expect(page.get_by_role("button", name="✓ Here")).to_be_visible()
    assert ClassCheckIn.objects.filter(booking=place).exists()
    context.close()
    assert not errors


def test_the_schedule_shows_a_class_once_with_its_places(client, make_class, owner_user):
    occurrence = make_class(capacity=2)  # 09:00 New York, 50 minutes
    for c in factories.ClientFactory.create_batch(2):
        services.class_book(occurrence=occurrence, user=c.user)
    waitlist.waitlist_join(occurrence=occurrence, client=factories.ClientFactory())
    day = occurrence.start.astimezone(ZoneInfo("America/New_York")).date()
    window = {"start": f"{day}T00:00:00Z", "end": f"{day}T23:59:00Z", "tz": "America/New_York"}
    client.force_login(owner_user)
    events = client.get("/studio/schedule/events/", window).json()
    [event] = events  # one event for the class, not one per place
    assert event["title"] == "Reformer · 2/2 booked, 1 waiting"
    assert (event["start"], event["url"]) == (
        f"{day}T09:00:00",
        reverse("class-roster", args=[occurrence.pk]),
    )
    client.force_login(factories.SpecialistFactory().user)  # teaches nothing here
    assert client.get("/studio/schedule/events/", window).json() == []
