"""The staff reminders page (/studio/reminders/) and the workspace panel."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from bookings.models import Reminder
from tests.bookings.reminders.helpers import HOUR, book, run_due, utc
from tests.conftest import login
from tests.factories import SpecialistFactory, owner

pytestmark = pytest.mark.django_db
NOW = utc(2026, 6, 1, 12, 0)
START = utc(2026, 6, 10, 14, 0)


@pytest.fixture
def history(smtp):
    """A week of reminders: some sent, one retrying after a refused e-mail, one skipped."""
    sydney = SpecialistFactory(user__first_name="Sydney")
    marco = SpecialistFactory(user__first_name="Marco")
    with time_machine.travel(NOW, tick=False) as clock:
        sent = book(start=START, specialist=sydney)
        retrying = book(start=START + timedelta(minutes=30), specialist=sydney)
        others = book(start=START + 48 * HOUR, specialist=marco)
        clock.move_to(START - 24 * HOUR)
        run_due()
        clock.move_to(START - 24 * HOUR + timedelta(minutes=30))
        smtp.refuse = 1
        run_due()
        skipped = book(start=START - 3 * HOUR, specialist=sydney)  # inside 24 h: skipped
    return {"sydney": sydney, "marco": marco, "sent": sent, "retrying": retrying,
            "others": others, "skipped": skipped, "now": START - 23 * HOUR}  # fmt: skip


def test_reminders_page_owner_sees_states_and_errors(client, history):
    client.force_login(owner())
    with time_machine.travel(history["now"], tick=False):
        html = client.get("/studio/reminders/").content.decode()
    assert "Times in America/New_York." in html
    assert "retrying (1 failed)" in html
    assert "Attempt 1: SMTPDataError" in html and "451" in html
    assert "Booked after this reminder was due." in html
    assert html.count("badge-r-sent") == 1
    assert history["others"].client.user.name in html  # Marco's client: the owner sees all


def test_reminders_page_filters_recent_rows_by_state(client, history):
    client.force_login(owner())
    with time_machine.travel(history["now"], tick=False):
        html = client.get("/studio/reminders/?state=skipped").content.decode()
    assert "Booked after this reminder was due." in html
    assert "badge-r-sent" not in html


def test_reminders_page_specialist_sees_only_their_sessions(client, history):
    client.force_login(history["marco"].user)
    with time_machine.travel(history["now"], tick=False):
        html = client.get("/studio/reminders/").content.decode()
    assert history["others"].client.user.name in html
    assert history["sent"].client.user.name not in html
    assert "retrying (" not in html


def test_reminders_page_is_for_staff_only(client, history):
    assert client.get("/studio/reminders/").status_code == 302  # to the login page
    client.force_login(history["sent"].client.user)
    assert client.get("/studio/reminders/").status_code == 403


def test_reminders_page_query_count_does_not_grow_with_rows(
    client, history, django_assert_max_num_queries
):
    client.force_login(owner())
    with time_machine.travel(history["now"], tick=False):
        with django_assert_max_num_queries(8) as few:
            client.get("/studio/reminders/")
        for minute in range(10):
            book(start=START + timedelta(days=5, minutes=minute))
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get("/studio/reminders/")


def test_reminders_workspace_panel_counts_problems(client, history):
    client.force_login(history["sydney"].user)
    with time_machine.travel(history["now"], tick=False):
        html = client.get("/workspace/").content.decode()
    assert "Reminders" in html
    assert "0 failed and 1 retrying" in html
    assert 'href="/studio/reminders/"' in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reminders_page_fits_a_phone_and_a_desktop(page, live_server, smtp):
    staff = owner(email="boss@example.org")
    staff.set_password("pass-word-123")
    staff.save()
    booking = book(start=utc(2030, 1, 10, 15, 0))
    Reminder.objects.filter(booking=booking, kind="before-120").update(
        attempts=2, last_error="Attempt 2: SMTPDataError: (451, b'4.3.0 Mail server busy')"
    )
    login(page, live_server, "boss@example.org", "pass-word-123")
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/studio/reminders/")
        assert page.get_by_role("heading", name="Reminders", exact=True).is_visible()
        assert page.get_by_text("retrying (2 failed)").is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"page is {overflow}px wider than the {width}px screen"
    assert mail.outbox == []
