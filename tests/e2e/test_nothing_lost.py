"""In Chromium, issue 19: the builder keeps unsaved edits and puts the catalog first on a phone;
a finished hold ticks its exercise; the practice log works by keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from programs.models import PracticeLog, Program
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "tonic-demo-2026"


def demo_program() -> Program:
    return Program.objects.get(client__user__email="client@example.com")


def test_builder_asks_before_leaving_with_unsaved_edits(page, live_server, demo):
    program = demo_program()
    login(page, live_server, "sydney@example.com", PASSWORD)
    builder = f"{live_server.url}/programs/{program.pk}/"
    page.goto(builder)
    dialogs: list[str] = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_label("Title").click()
    page.keyboard.type(" (draft)")
    with page.expect_event("dialog"):
        page.get_by_role("link", name="Programs").first.click(no_wait_after=True)
    assert dialogs == ["beforeunload"]
    assert page.url == builder
    expect(page.get_by_label("Title")).to_have_value(re.compile(r"\(draft\)$"))

    # Saving is not "leaving with unsaved edits".
    page.get_by_label("Reason for this change").fill("Renamed.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".flash").first).to_contain_text("Saved")
    assert dialogs == ["beforeunload"]


def test_builder_puts_the_catalog_above_the_rows_on_a_phone(page, live_server, demo):
    program = demo_program()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "sydney@example.com", PASSWORD)
    page.goto(f"{live_server.url}/programs/{program.pk}/")
    search = page.get_by_label("Search the catalog").bounding_box()
    first_row = page.locator("#items .item-row").first.bounding_box()
    save = page.get_by_role("button", name="Save changes").bounding_box()
    assert search["y"] < first_row["y"] < save["y"]
    # Adding from the catalog stays at the search and says what was added.
    page.get_by_label("Search the catalog").fill("soleus")
    page.get_by_role("button", name="Add Soleus stretch").click()
    expect(page.locator("#added-note")).to_have_text(re.compile("^Added Soleus stretch"))

    page.set_viewport_size({"width": 1280, "height": 900})
    search = page.get_by_label("Search the catalog").bounding_box()
    first_row = page.locator("#items .item-row").first.bounding_box()
    assert search["x"] > first_row["x"] + first_row["width"]  # beside the rows


def test_finishing_a_hold_ticks_that_exercise_in_the_log(page, live_server, demo):
    program = demo_program()
    item = program.items.filter(hold_seconds__isnull=False, per_side=False).first()
    item = item or program.items.filter(hold_seconds__isnull=False).first()
    page.clock.install()
    login(page, live_server, "client@example.com", PASSWORD)
    page.goto(f"{live_server.url}/portal/program/")
    box = page.locator(f'.log-form input[name="completed_items"][value="{item.pk}"]')
    expect(box).not_to_be_checked()
    timer = page.locator(f'[data-timer][data-item="{item.pk}"]')
    for _side in range(2 if item.per_side else 1):
        timer.get_by_role("button", name=re.compile("^Start")).click()
        page.clock.run_for((item.hold_seconds + 1) * 1000)
    expect(timer.locator(".timer-note")).to_contain_text("Ticked in your practice log")
    expect(box).to_be_checked()


def tab_to(page, predicate: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches `predicate` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {predicate}; }})()"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_practice_log_works_by_keyboard_alone(page, live_server, demo):
    program = demo_program()
    login(page, live_server, "client@example.com", PASSWORD)
    page.goto(f"{live_server.url}/portal/program/")
    tab_to(page, "el.textContent.trim() === 'Log practice'")
    page.keyboard.press("Enter")  # the in-page link: the next Tab starts in the log section
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.name")
    assert first == "completed_items"
    page.keyboard.press("Space")
    tab_to(page, "el.id === 'id_pain'")
    page.keyboard.press("ArrowDown")  # "—" -> 0
    page.keyboard.press("ArrowDown")  # -> 1
    tab_to(page, "el.type === 'submit'")
    page.keyboard.press("Enter")
    expect(page.locator(".flash").first).to_contain_text("Logged your practice")
    log = PracticeLog.objects.filter(program=program).order_by("-date").first()
    assert (log.pain, log.done_count) == (1, 1)
    expect(page.locator("#logged-today")).to_contain_text("pain 1")
