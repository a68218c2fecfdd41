"""Issue 15's "done when", on the demo studio: Marco (the second specialist) cannot reach
Sydney's client Hannah by any API path, page, filter, export, feed or search until he is put on
her care team, and then can; the owner always can."""

from urllib.parse import urlsplit

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from bookings.models import Booking, Payment, Reminder
from programs.models import Program

pytestmark = pytest.mark.django_db
PASSWORD = "tonic-demo-2026"


def token_api(email: str) -> APIClient:
    """An API client with a token from POST /api/auth/token/, as an outside caller gets one."""
    api = APIClient()
    token = api.post("/api/auth/token/", {"email": email, "password": PASSWORD}, format="json")
    assert token.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    return api


def browser(email: str) -> Client:
    page = Client()
    assert page.login(email=email, password=PASSWORD)
    return page


def rows(body):
    return body["results"] if isinstance(body, dict) else body


def what_reaches_hannah(api: APIClient, page: Client, hannah, marco_feed: str) -> dict:
    """Every way a caller might reach Hannah's records, and whether it did."""
    h = hannah.pk
    her_bookings = set(Booking.objects.filter(client=hannah).values_list("pk", flat=True))
    a_booking = Booking.objects.filter(client=hannah).order_by("start").last().pk
    program = Program.objects.filter(client=hannah).first()
    reached = {
        "clients list": h in {r["id"] for r in api.get("/api/clients/").json()},
        "clients search": h in {r["id"] for r in api.get("/api/clients/?search=hannah").json()},
        "record": api.get(f"/api/clients/{h}/").status_code == 200,
        "record edit": api.patch(f"/api/clients/{h}/", {"goals": "x"}, format="json").status_code
        == 200,
        "export": api.get(f"/api/clients/{h}/export/").status_code == 200,
        "care team": api.get(f"/api/clients/{h}/care-team/").status_code == 200,
        "bookings list": bool(her_bookings & {r["id"] for r in api.get("/api/bookings/").json()}),
        "bookings by specialist": bool(
            her_bookings
            & {
                r["id"]
                for r in api.get(
                    "/api/bookings/",
                    {"specialist": Booking.objects.get(pk=a_booking).specialist_id},
                ).json()
            }
        ),
        "booking": api.get(f"/api/bookings/{a_booking}/").status_code == 200,
        "payments": bool(rows(api.get("/api/payments/").json())),
        "payments by booking": bool(rows(api.get("/api/payments/", {"booking": a_booking}).json())),
        "reminders": bool(rows(api.get("/api/reminders/", {"booking": a_booking}).json())),
        "programs list": program.pk in {r["id"] for r in rows(api.get("/api/programs/").json())},
        "programs by client": bool(rows(api.get("/api/programs/", {"client": h}).json())),
        "program": api.get(f"/api/programs/{program.pk}/").status_code == 200,
        "practice log": api.get(f"/api/programs/{program.pk}/logs/").status_code == 200,
        "enquiries": "client@example.com"
        in {r["email"] for r in api.get("/api/enquiries/?status=converted").json()},
        "file page": page.get(f"/accounts/clients/{h}/").status_code == 200,
        "edit page": page.get(f"/accounts/clients/{h}/edit/").status_code == 200,
        "builder": page.get(f"/programs/{program.pk}/").status_code == 200,
        "booking page": page.get(f"/studio/bookings/{a_booking}/").status_code == 200,
        "payments page": page.get(f"/bookings/{a_booking}/payments/").status_code == 200,
    }
    for name, path in (
        ("client list page", "/accounts/clients/"),
        ("client search page", "/accounts/clients/?q=hann"),
        ("workspace", "/workspace/"),
        ("program list page", "/programs/?all=1"),
        ("new program page", "/programs/new/"),
        ("inbox", "/accounts/enquiries/?status=all"),
    ):
        reached[name] = "Hannah" in page.get(path).content.decode()
    reached["own feed"] = "Hannah" in page.get(marco_feed).content.decode()
    return reached


def test_marco_reaches_sydneys_client_only_once_on_her_care_team(demo):
    hannah = User.objects.get(email="client@example.com").client
    marco = User.objects.get(email="marco@example.com")
    marco_api, marco_page = token_api("marco@example.com"), browser("marco@example.com")
    owner_api, owner_page = token_api("owner@example.com"), browser("owner@example.com")
    # The demo's bookings are paid at the studio and have no reminders yet: give her one of each.
    booking = Booking.objects.filter(client=hannah).order_by("start").last()
    Payment.objects.create(
        booking=booking, payment_intent="pi_demo", amount=2500, currency="USD", status="succeeded"
    )
    Reminder.objects.create(booking=booking, kind="before-1440", due_at=booking.start)
    feeds = marco_api.get("/api/calendar-feeds/").json()
    marco_feed = urlsplit(next(f["url"] for f in feeds if f["kind"] == "specialist")).path

    before = what_reaches_hannah(marco_api, marco_page, hannah, marco_feed)
    assert not any(before.values()), [k for k, v in before.items() if v]
    # Nor can he book her or give her a program by her id.
    response = marco_api.post("/api/programs/", {"client": hannah.pk, "title": "X"}, format="json")
    assert response.status_code == 404
    owner_sees = what_reaches_hannah(owner_api, owner_page, hannah, marco_feed)
    assert all(v for k, v in owner_sees.items() if k != "own feed"), owner_sees

    sydney_api = token_api("sydney@example.com")
    added = sydney_api.post(
        f"/api/clients/{hannah.pk}/care-team/", {"specialist": marco.specialist.pk}, format="json"
    )
    assert added.status_code == 201 and added.json()["reason"] == "added"

    after = what_reaches_hannah(marco_api, marco_page, hannah, marco_feed)
    # Her sessions are Sydney's, so Marco's own calendar feed never lists them.
    assert all(v for k, v in after.items() if k != "own feed"), [
        k for k, v in after.items() if not v
    ]
    assert not after["own feed"]
    assert all(
        v
        for k, v in what_reaches_hannah(owner_api, owner_page, hannah, marco_feed).items()
        if k != "own feed"
    )


def test_demo_care_teams(demo):
    def team(email):
        client = User.objects.get(email=email).client
        return dict(client.care_team.values_list("specialist__user__email", "reason"))

    assert team("client@example.com") == {"sydney@example.com": "converted"}
    assert team("client2@example.com") == {
        "sydney@example.com": "converted",
        "marco@example.com": "booked",
    }
