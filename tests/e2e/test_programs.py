"""In Chromium: a specialist builds a program from a template for the demo client; the client
opens it, runs a hold timer, logs a practice day and sees it on the chart."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import Program
from tests.conftest import login, page_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tonic-demo-2026"


def test_specialist_builds_a_program_and_the_client_logs_practice(page, live_server, demo):
    login(page, live_server, "sydney@example.com", PASSWORD)
    page.goto(f"{live_server.url}/programs/new/")
    page.get_by_label("Client").select_option(label="Hannah Client")
    page.get_by_label("Knee-friendly hips and hamstrings").check()
    page.get_by_role("button", name="Open in the builder").click()
    expect(page.get_by_role("heading", name="Knee-friendly hips and hamstrings")).to_be_visible()
    rows = page.locator("#items .item-row")
    expect(rows).to_have_count(5)

    # Add a contraindicated exercise from the catalog search: the builder warns at once.
    page.get_by_label("Search the catalog").fill("quad")
    page.get_by_role("button", name="Add Standing quad stretch").click()
    expect(rows).to_have_count(6)
    added = rows.nth(5)
    expect(added.get_by_role("alert")).to_contain_text("Knee bursitis")
    added.get_by_label("Reason to keep it").fill("Cleared by her physio; use the strap.")
    added.get_by_role("button", name="Move Standing quad stretch up").click()
    expect(rows.nth(4)).to_have_attribute("data-exercise", "standing-quad-stretch")
    page.get_by_role("button", name=re.compile("^Publish to")).click()
    expect(page.locator(".flash")).to_contain_text("Published")
    expect(page.locator(".badge-active").first).to_be_visible()

    # The client sees the new program, with the kept exercise and a hold timer.
    page.context.clear_cookies()
    login(page, live_server, "client@example.com", PASSWORD)
    page.goto(f"{live_server.url}/portal/program/")
    expect(page.get_by_role("heading", name="Knee-friendly hips and hamstrings")).to_be_visible()
    expect(page.get_by_role("heading", name="5. Standing quad stretch")).to_be_visible()
    timer = page.locator("[data-timer]").first
    expect(timer.locator("output")).to_have_text("0:45")
    timer.get_by_role("button", name="Start first side").click()
    expect(timer.locator("output")).not_to_have_text("0:45", timeout=3000)

    # Log today's practice and see it on the chart.
    expect(page.get_by_text("Nothing logged yet")).to_be_visible()
    log = page.locator("#log")
    log.get_by_label(re.compile(r"Calf stretch \(")).check()
    log.get_by_label(re.compile(r"Seated hip stretch")).check()
    log.get_by_label("Pain today (0-10)").select_option("3")
    log.get_by_role("button", name="Save practice").click()
    expect(page.locator(".flash")).to_contain_text("Logged your practice")
    canvas = page.locator("canvas[data-chart]")
    expect(canvas).to_be_visible()
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.querySelector('canvas[data-chart]'))"
    )
    pain = page.evaluate(
        "() => Chart.getChart(document.querySelector('canvas[data-chart]')).data.datasets"
        ".map(d => d.data)"
    )
    assert pain == [[3], [33]]  # pain 3; 2 of the day's 6 exercises done


@pytest.mark.parametrize(
    ("email", "path"),
    [
        ("sydney@example.com", "/programs/{pk}/"),
        ("sydney@example.com", "/programs/exercises/"),
        ("client@example.com", "/portal/program/"),
        ("client@example.com", "/portal/program/{pk}/print/"),
        ("client@example.com", "/portal/"),
    ],
)
def test_program_pages_fit_a_phone(page, live_server, demo, email, path):
    program = Program.objects.get(client__user__email="client@example.com")
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, email, PASSWORD)
    page.goto(f"{live_server.url}{path.format(pk=program.pk)}")
    page.wait_for_load_state("networkidle")
    assert page_width(page) <= 390
