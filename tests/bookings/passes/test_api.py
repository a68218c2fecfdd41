"""Passes API: the catalogue, who may buy what (intro offers), booking a service with credits,
and whose credits a caller may see or change (accounts/access.py's care-team rule)."""

import pytest

from bookings.models import Booking
from bookings.passes.models import CreditEntry
from bookings.passes.selectors import credits_balance
from tests import factories

from .conftest import grant, make_pass

pytestmark = pytest.mark.django_db
TUE_9 = "2026-06-02T09:00:00-04:00"


@pytest.fixture
def class_desk(desk, mat_class):
    mat_class.specialists.add(desk.specialist)
    return desk


def book(api, **extra):
    return api.post(
        "/api/bookings/",
        {"service": "mat-class", "start": TUE_9, "pay_with": "credits", **extra},
        format="json",
    )


def test_passes_list_names_the_contract_fields(api, pack):
    make_pass("intro", price=3000, credits=2, intro_offer=True)

    rows = api.get("/api/passes/").json()

    assert [r["slug"] for r in rows] == ["intro", "ten-classes"]
    for key in (
        "slug",
        "name",
        "kind",
        "credits",
        "valid_days",
        "price",
        "currency",
        "intro_offer",
    ):
        assert key in rows[0]
    assert rows[1]["services"] == ["mat-class"]


def test_book_a_service_with_a_credit(api_as, class_desk, monday, client_profile, pack):
    grant(client_profile, pack, credits=2)

    response = book(api_as(client_profile.user), specialist=class_desk.specialist.pk)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["payment_method"], body["payment"]) == (
        "confirmed",
        "credits",
        None,
    )
    assert CreditEntry.objects.get(kind="consume").booking_id == body["id"]
    assert credits_balance(client_id=client_profile.pk) == 1


def test_book_with_no_credits_is_409_and_leaves_no_booking(
    api_as, class_desk, monday, client_profile, pack
):
    response = book(api_as(client_profile.user), specialist=class_desk.specialist.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "no_credits"
    assert not Booking.objects.exists()


def test_book_with_credits_needs_a_login(api, class_desk, monday):
    response = book(api, name="Gail Guest", email="gail@example.org")

    assert response.status_code == 401
    assert not Booking.objects.exists()
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "401" in schema["paths"]["/api/bookings/"]["post"]["responses"]  # documented


def test_buy_refusals(api, api_as, settings, client_profile, pack, specialist):
    settings.STRIPE_SECRET_KEY = ""
    assert api.post("/api/passes/ten-classes/buy/").status_code == 401
    assert api_as(client_profile.user).post("/api/passes/nope/buy/").status_code == 404
    assert api_as(client_profile.user).post("/api/passes/ten-classes/buy/").status_code == 409
    response = api_as(specialist.user).post("/api/passes/ten-classes/buy/")
    assert response.status_code == 400 and "client" in response.json()


@pytest.mark.stripe
def test_intro_offer_only_for_someone_new_and_only_once(api_as, stripe_on, client_profile, pack):
    make_pass("intro", price=3000, credits=2, intro_offer=True)
    regular = factories.ClientFactory()
    factories.BookingFactory(client=regular)
    newcomer = api_as(client_profile.user)

    assert api_as(regular.user).post("/api/passes/intro/buy/").status_code == 403
    assert "intro" not in [p["slug"] for p in api_as(regular.user).get("/api/passes/").json()]
    first = newcomer.post("/api/passes/intro/buy/")
    again = newcomer.post("/api/passes/intro/buy/")  # the same unpaid purchase, not a second

    assert first.status_code == again.status_code == 201
    assert first.json()["purchase"] == again.json()["purchase"]


def test_credits_staff_see_only_their_care_teams_clients(api_as, client_profile, pack, owner_user):
    grant(client_profile, pack, credits=3)
    stranger = factories.SpecialistFactory()
    on_team = factories.SpecialistFactory()
    factories.on_care_team(client_profile, on_team)
    other_client = factories.ClientFactory()

    assert api_as(client_profile.user).get("/api/credits/").json()["balance"] == 3
    assert (
        api_as(owner_user).get(f"/api/credits/?client={client_profile.pk}").json()["balance"] == 3
    )
    assert api_as(on_team.user).get(f"/api/credits/?client={client_profile.pk}").status_code == 200
    assert api_as(stranger.user).get(f"/api/credits/?client={client_profile.pk}").status_code == 404
    assert (
        api_as(other_client.user).get(f"/api/credits/?client={client_profile.pk}").status_code
        == 404
    )
    assert api_as(owner_user).get("/api/credits/").status_code == 400


def test_credits_adjust_by_staff_with_a_reason(api_as, client_profile, pack, owner_user):
    grant(client_profile, pack, credits=1)
    staff = api_as(owner_user)

    no_reason = staff.post(
        "/api/credits/adjust/", {"client": client_profile.pk, "amount": 2}, format="json"
    )
    too_many = staff.post(
        "/api/credits/adjust/",
        {"client": client_profile.pk, "amount": -5, "reason": "x"},
        format="json",
    )
    added = staff.post(
        "/api/credits/adjust/",
        {"client": client_profile.pk, "amount": 2, "reason": "Studio cancelled Tuesday"},
        format="json",
    )
    by_client = api_as(client_profile.user).post(
        "/api/credits/adjust/",
        {"client": client_profile.pk, "amount": 5, "reason": "me"},
        format="json",
    )

    assert (no_reason.status_code, too_many.status_code, by_client.status_code) == (400, 400, 403)
    assert "reason" in no_reason.json() and "amount" in too_many.json()
    assert added.status_code == 201 and added.json()["balance"] == 3
    assert added.json()["entries"][0]["reason"] == "Studio cancelled Tuesday"


def test_purchases_of_clients_the_caller_may_not_see_answer_404(api_as, client_profile, pack):
    purchase = grant(client_profile, pack).purchase
    stranger = factories.SpecialistFactory()
    other = factories.ClientFactory()

    for user in (stranger.user, other.user):
        for action in ("subscribe", "cancel", "refund"):
            response = api_as(user).post(f"/api/purchases/{purchase.pk}/{action}/")
            assert response.status_code == 404, (user, action)
    assert api_as(other.user).get("/api/purchases/").json() == []
    assert len(api_as(client_profile.user).get("/api/purchases/").json()) == 1
