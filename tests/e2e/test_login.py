import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_specialist_logs_in_and_sees_the_workspace(page, live_server, demo):
    login(page, live_server, "sydney@example.com", "tonic-demo-2026")
    assert page.url.endswith("/workspace/")
    assert page.get_by_role("heading", name="Workspace").is_visible()


def test_wrong_password_shows_a_message(page, live_server, demo):
    login(page, live_server, "sydney@example.com", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").is_visible()
