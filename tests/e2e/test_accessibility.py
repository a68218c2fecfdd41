"""In Chromium, every public and client portal page (and the staff pages issue 19 changed) has
no serious or critical WCAG 2.2 A/AA violation by axe-core, at a phone's and a desktop's width.

axe-core is vendored (static/vendor/axe-core/, see its README) and injected into the page here;
no page of the site loads it. Its `target-size` rule checks the 24 px touch targets.
"""

import pytest

from bookings.models import Booking, Service
from programs import practice
from programs.models import Program
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = "/static/vendor/axe-core/axe.min.js"  # served like any static file (the CSP allows 'self')
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}
PASSWORD = "tonic-demo-2026"
CLIENT, SPECIALIST = "client@example.com", "sydney@example.com"


def _program() -> int:
    return Program.objects.get(client__user__email=CLIENT).pk


def _service() -> str:
    return Service.objects.filter(is_active=True).order_by("pk").first().slug


def _client_pk() -> int:
    return Program.objects.get(client__user__email=CLIENT).client_id


def _logged_today() -> str:
    """The program page once something is logged today (the "already logged" state)."""
    program = Program.objects.select_related("client__user").get(client__user__email=CLIENT)
    day = practice.client_today(program.client)
    item = practice.items_for_day(program, day) or practice.visible_items(program)
    practice.practice_log_record(
        program=program, by=program.client.user, date=day, pain=2, completed_items=[item[0].pk]
    )
    return "/portal/program/"


def _manage_token() -> str:
    return Booking.objects.filter(client__user__email=CLIENT).first().manage_token


# (name, who is logged in, path); a callable path is filled from the demo data.
PAGES = [
    ("home", None, "/"),
    ("enquire", None, "/enquire/"),
    ("enquire-thanks", None, "/enquire/thanks/"),
    ("login", None, "/accounts/login/"),
    ("password-reset", None, "/accounts/password-reset/"),
    ("book", None, "/book/"),
    ("book-specialist", None, lambda: f"/book/{_service()}/"),
    ("book-times", None, lambda: f"/book/{_service()}/times/"),
    ("classes", None, "/classes/"),
    ("passes", None, "/passes/"),
    ("booking-manage", None, lambda: f"/bookings/manage/{_manage_token()}/"),
    ("portal", CLIENT, "/portal/"),
    ("portal-program", CLIENT, "/portal/program/"),
    ("portal-program-logged", CLIENT, _logged_today),
    ("portal-program-edit-log", CLIENT, "/portal/program/?edit=today"),
    ("portal-print", CLIENT, lambda: f"/portal/program/{_program()}/print/"),
    ("intake", CLIENT, "/accounts/intake/"),
    ("profile", CLIENT, "/accounts/profile/"),
    ("portal-credits", CLIENT, "/portal/credits/"),
    ("builder", SPECIALIST, lambda: f"/programs/{_program()}/"),
    ("inbox", SPECIALIST, "/accounts/enquiries/?status=all"),
    ("client-file", SPECIALIST, lambda: f"/accounts/clients/{_client_pk()}/"),
    ("client-edit", SPECIALIST, lambda: f"/accounts/clients/{_client_pk()}/edit/"),
]


def axe_violations(page, base: str) -> list[dict]:
    """Serious and critical violations axe finds on the page as it is now."""
    page.add_script_tag(url=base + AXE)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    ran = {r["id"] for key in ("passes", "violations", "incomplete") for r in result[key]}
    assert "target-size" in ran  # the 24 px touch targets (WCAG 2.2 2.5.8) were checked
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(n["target"]) for n in v["nodes"][:5]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x) {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(("name", "who", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_serious_accessibility_violation(
    page, live_server, demo, name, who, path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    if who:
        login(page, live_server, who, PASSWORD)
    page.goto(live_server.url + (path() if callable(path) else path))
    page.wait_for_load_state("networkidle")
    found = axe_violations(page, live_server.url)
    assert not found, f"{name} at {width} px:\n{describe(found)}"
