"""One staff-only guard (accounts/views/access.py) with one styled 403 page on every app's pages."""

import pytest

STAFF_PAGES = [
    "/accounts/clients/",  # accounts
    "/programs/",  # programs
    "/studio/availability/",  # bookings
    "/workspace/calendars/",  # bookings.calendars
    "/studio/reminders/",  # bookings.reminders
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_guard_a_client_gets_the_one_styled_403_on_every_staff_page(client, client_profile, path):
    client.force_login(client_profile.user)
    response = client.get(path)
    assert response.status_code == 403
    assert [t.name for t in response.templates][:1] == ["403.html"]
    assert "This page is for studio staff." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_guard_an_anonymous_visitor_logs_in_first(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
