"""A Stripe that accepts connections and never answers must not stall anyone else.

Stripe is asked only after the booking's transaction has committed, so while one request waits
on Stripe, free bookings and enquiries (other writers, on other threads of a live server) go
through; the paid booking is stored `held` and answered with a pay link to retry from. On
SQLite a writer waiting on the hung one got "database is locked" (a 500) after the 20 s busy
timeout; on PostgreSQL it waited on the specialist's row lock for as long as Stripe hung.
"""

import json
import threading
import urllib.error
import urllib.request

import pytest

from bookings.models import Booking, Payment
from tests import factories
from tests.fixtures.listeners import SilentListener

pytestmark = pytest.mark.django_db(transaction=True)

TUE_9 = "2026-06-02T09:00:00-04:00"
TUE_14 = "2026-06-02T14:00:00-04:00"


@pytest.fixture
def silent_stripe(settings):
    """Stripe switched on and pointed at a listener that never answers."""
    silent = SilentListener()
    settings.STRIPE_SECRET_KEY = "sk_test_hang"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_hang"
    settings.STRIPE_API_BASE = silent.url
    yield silent
    silent.hang_up()


def call(url: str, body: dict | None = None, timeout: float = 60) -> tuple[int, dict | str]:
    """POST JSON (or GET without a body) to the live server; (status, parsed answer)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read().decode()
    try:
        return status, json.loads(raw)
    except json.JSONDecodeError:
        return status, raw


class Background:
    """Run one call on its own thread and keep its answer."""

    def __init__(self, *args) -> None:
        self.answer: tuple | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=args, daemon=True)
        self.thread.start()

    def _run(self, *args) -> None:
        try:
            self.answer = call(*args)
        except BaseException as exc:  # reported by the test
            self.error = exc


def paid_booking_via_api(live_server, desk) -> Background:
    return Background(
        f"{live_server.url}/api/bookings/",
        {
            "service": "private-session",
            "specialist": desk.specialist.pk,
            "start": TUE_9,
            "name": "Paula Paid",
            "email": "paula@example.org",
        },
    )


def pay_page_of_a_hold_without_intent(live_server, desk) -> Background:
    from django.utils import timezone

    hold = factories.BookingFactory(
        specialist=desk.specialist,
        service=desk.session,
        start=timezone.now() + timezone.timedelta(days=3),
        status="held",
        payment_method="stripe",
        hold_expires_at=timezone.now() + timezone.timedelta(minutes=15),
    )
    return Background(f"{live_server.url}/bookings/pay/{hold.manage_token}/")


@pytest.mark.parametrize("hung", [paid_booking_via_api, pay_page_of_a_hold_without_intent])
def test_booking_and_enquiry_go_through_while_stripe_hangs(
    hung, live_server, desk, monday, silent_stripe, settings
):
    settings.STRIPE_TIMEOUT_SECONDS = 120  # the test ends the hang itself, below
    waiting = hung(live_server, desk)
    assert silent_stripe.accepted.wait(30), "the request never reached Stripe"

    free = call(
        f"{live_server.url}/api/bookings/",
        {
            "service": "consultation",
            "specialist": desk.specialist.pk,
            "start": TUE_14,
            "name": "Fran Free",
            "email": "fran@example.org",
        },
    )
    enquiry = call(
        f"{live_server.url}/api/enquiries/",
        {"name": "Ena", "email": "ena@example.org", "message": "Knees.", "consent": True},
    )
    still_waiting_on_stripe = waiting.thread.is_alive()
    silent_stripe.hang_up()
    waiting.thread.join(60)

    assert free[0] == 201, free
    assert enquiry[0] == 201, enquiry
    assert still_waiting_on_stripe  # both went through during the hang, not after it
    assert waiting.error is None and waiting.answer is not None
    status, body = waiting.answer
    assert status in (200, 201), body
    if isinstance(body, dict):  # the API: the hold is stored and the client can pay later
        assert body["status"] == "held"
        assert body["payment"]["status"] == "unavailable" and body["payment"]["pay_url"]
        assert Booking.objects.get(pk=body["id"]).status == "held"
    else:  # the pay page: asks the client to try again in a moment
        assert "Card payments are unavailable for a moment" in body
    assert not Payment.objects.exists()


def test_paid_booking_when_stripe_never_answers_times_out_into_a_held_booking(
    api, desk, monday, silent_stripe, settings
):
    settings.STRIPE_TIMEOUT_SECONDS = 0.5

    response = api.post(
        "/api/bookings/",
        {
            "service": "private-session",
            "specialist": desk.specialist.pk,
            "start": TUE_9,
            "name": "Paula Paid",
            "email": "paula@example.org",
        },
        format="json",
    )

    assert silent_stripe.accepted.is_set()
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "held" and body["payment"]["status"] == "unavailable"
    assert body["payment"]["pay_url"].endswith(f"/bookings/pay/{body['manage_token']}/")
    assert Booking.objects.get(pk=body["id"]).status == "held"
