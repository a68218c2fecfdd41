"""In Chromium: Sydney adds Marco to Hannah's care team from the client file, on a phone and on
a desktop; Marco then opens the file. Screenshots go to $SHOTS_DIR when it is set."""

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tonic-demo-2026"


def shoot(page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        page.evaluate("document.getElementById('care-team').closest('article').scrollIntoView()")
        page.screenshot(path=os.path.join(folder, f"i15-{name}.png"), full_page=False)


@pytest.mark.parametrize("width", [390, 1280])
def test_sydney_adds_marco_to_the_care_team_from_the_file(page, live_server, demo, width):
    from accounts.models import User

    hannah = User.objects.get(email="client@example.com").client
    file_url = f"{live_server.url}/accounts/clients/{hannah.pk}/"
    page.set_viewport_size({"width": width, "height": 900})

    login(page, live_server, "marco@example.com", PASSWORD)
    # (page.request shares the login, without a console error for the 404 page's load)
    assert page.request.get(file_url).status == 404
    page.context.clear_cookies()

    login(page, live_server, "sydney@example.com", PASSWORD)
    page.goto(file_url)
    team = page.locator("#care-team")
    expect(team.get_by_text("Sydney Reed", exact=True)).to_be_visible()
    expect(team.get_by_text("Converted the enquiry")).to_be_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"file-{width}")

    team.get_by_label("Add a specialist").select_option(label="Marco Alvarez")
    team.get_by_role("button", name="Add").click()
    expect(page.locator(".flash").first).to_contain_text("Marco Alvarez is on the care team")
    expect(
        team.get_by_role("button", name="Remove Marco Alvarez from the care team")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shoot(page, f"added-{width}")
    trail = page.locator("article", has_text="Privacy and audit trail")
    expect(trail).to_contain_text("Care team joined: Marco Alvarez (added)")

    page.context.clear_cookies()
    login(page, live_server, "marco@example.com", PASSWORD)
    assert page.goto(file_url).status == 200
    expect(page.get_by_role("heading", name="Hannah Client")).to_be_visible()
