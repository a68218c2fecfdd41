"""A visitor sends an enquiry in Chromium; a specialist converts it from the inbox."""

import re

import pytest
from django.core import mail

from accounts.models import ClientProfile, Enquiry
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = (
    "I have terrible pes anserine bursitis on both knees. <script>alert('x')</script> "
    "What else can I do?"
)


def test_enquiry_form_then_staff_converts_it_from_the_inbox(page, live_server, demo):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(f"{live_server.url}/enquire/")
    page.get_by_label("Name").fill("Mia Ortiz")
    page.get_by_label("Email").fill("mia@example.net")
    page.get_by_label("Phone number").fill("+1 423 555 0110")
    page.get_by_label("Knee bursitis (incl. pes anserine)").check()
    page.get_by_label("Your message").fill(MESSAGE)
    page.get_by_label("I agree to the studio storing").check()
    page.get_by_role("button", name="Send my message").click()

    assert page.get_by_role("heading", name="Thank you, we have your message").is_visible()
    enquiry = Enquiry.objects.get(email="mia@example.net")
    assert enquiry.status == "new" and enquiry.concerns == ["knee-bursitis"]

    login(page, live_server, "sydney@example.com", "tonic-demo-2026")
    page.goto(f"{live_server.url}/accounts/enquiries/")
    card = page.locator(f"#enquiry-{enquiry.pk}")
    assert card.get_by_text("<script>alert('x')</script>", exact=False).is_visible()
    card.get_by_role("button", name="Convert to client").click()

    card = page.locator(f"#enquiry-{enquiry.pk}")
    card.get_by_text("Converted", exact=True).wait_for()
    assert card.get_by_text("is now a client").is_visible()
    profile = ClientProfile.objects.get(user__email="mia@example.net")
    assert set(profile.conditions.values_list("slug", flat=True)) == {"knee-bursitis"}
    invite = next(m for m in mail.outbox if m.to == ["mia@example.net"] and "intake" in m.subject)
    assert re.search(r"/accounts/intake/\S+/", invite.body)

    card.get_by_role("link", name="Mia Ortiz").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/accounts/clients/{profile.pk}/")
    assert page.get_by_role("heading", name="Mia Ortiz").is_visible()
    assert dialogs == []  # the typed <script> never ran
