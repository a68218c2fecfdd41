"""Inputs the API fuzzer found: each is a clear 400, never a 500."""

import re

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.converters import IntConverter

from studio.kernel.converters import IdConverter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/clients/?search=a%00b", "/api/exercises/?search=%00", "/calendar/ab%00cd.ics"],
)
def test_a_nul_character_in_the_address_is_a_400(api_as, owner_user, demo, path):
    response = api_as(owner_user).get(path)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("offset=abc", "offset"),
        ("limit=0", "limit"),
        ("limit=-5", "limit"),
        ("limit=10&limit=20", "limit"),
    ],
)
def test_malformed_pagination_is_a_400_naming_the_parameter(api_as, owner_user, demo, query, field):
    response = api_as(owner_user).get(f"/api/exercises/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_pagination_past_the_end_is_an_empty_page(api_as, owner_user, demo):
    response = api_as(owner_user).get("/api/exercises/?offset=99999999999&limit=5")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_a_page_of_exercises_has_the_requested_size(api_as, owner_user, demo):
    body = api_as(owner_user).get("/api/exercises/?limit=5&offset=5").json()
    assert len(body["results"]) == 5
    assert body["count"] > 10


# --- Issue 13, input edges: 4xx, never 500 ---------------------------------------------------
# The exact requests the issue reports, then their neighbours. A 500 raises in the test client,
# so each of these fails loudly without its fix.

DEEP = "[" * 1000 + "]" * 1000  # about 2 KB: RecursionError in json.loads
HUGE_BOOKING = "69327255721828887298048"
HUGE_ID = "99999999999999999999"
RANGE_TEXT = "between 1900-01-01 and 2200-12-31"


@pytest.fixture
def edges(desk, owner_user):
    """A studio with a bookable consultation, a client with an active program and a booking
    (and its manage token): something behind every endpoint the edge cases reach."""
    from programs import services as program_services
    from programs.demo import seed_catalog
    from tests import factories

    catalog = seed_catalog()
    client = factories.ClientFactory()
    program = program_services.program_create(
        client=client,
        by=owner_user,
        title="Feet first",
        items=[{"exercise": catalog["calf-stretch"]}],
    )
    booking = factories.BookingFactory(
        service=desk.consultation, specialist=desk.specialist, client=client
    )
    return {"client": client, "program": program, "booking": booking, "owner": owner_user}


def _send(api, method: str, path: str, body):
    if body is None:
        return getattr(api, method)(path)
    if isinstance(body, str):
        return getattr(api, method)(path, body, content_type="application/json")
    return getattr(api, method)(path, body, format="json")


# 1. Deeply nested JSON -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/auth/token/"),
        ("post", "/api/enquiries/"),
        ("post", "/api/bookings/"),
        ("post", "/api/bookings/{booking}/cancel/"),
        ("post", "/api/bookings/{booking}/reschedule/"),
        ("post", "/api/programs/"),
        ("patch", "/api/programs/{program}/"),
        ("post", "/api/programs/{program}/logs/"),
        ("patch", "/api/clients/{client}/"),
        ("post", "/api/intake/"),
    ],
)
def test_deeply_nested_json_is_a_400_not_a_recursion_error(api_as, edges, method, path):
    path = path.format(**{k: getattr(v, "pk", None) for k, v in edges.items()})
    caller = edges["client"].user if path.endswith(("/logs/", "/intake/")) else edges["owner"]
    response = _send(api_as(caller), method, path, DEEP)
    assert response.status_code == 400
    assert "nests arrays or objects more than 32 deep" in response.json()["detail"]


def test_deeply_nested_json_is_a_400_for_an_anonymous_caller(api, desk):
    for path in ("/api/auth/token/", "/api/enquiries/", "/api/bookings/"):
        response = api.post(path, DEEP, content_type="application/json")
        assert response.status_code == 400, path
        assert "32 deep" in response.json()["detail"]


def _nested(levels: int):
    """{"email": [[...]]}: a body nesting `levels` deep (the object is the first level)."""
    value: list = []
    for _ in range(levels - 2):
        value = [value]
    return {"email": value, "password": "x"}


def test_json_that_parses_but_nests_past_the_limit_is_refused(api, db):
    # 33 levels is well inside Python's recursion limit: only the depth check refuses it.
    response = api.post("/api/auth/token/", _nested(33), format="json")
    assert response.status_code == 400
    assert "32 deep" in response.json()["detail"]


def test_json_at_the_nesting_limit_reaches_the_serializer(api, db):
    response = api.post("/api/auth/token/", _nested(32), format="json")
    assert response.status_code == 400
    assert "email" in response.json()  # a field error: the body itself was accepted


@pytest.mark.parametrize(
    ("path", "body"),
    [
        # found by the fuzzer: a slug with a NUL reached PostgreSQL through SlugRelatedField
        ("/api/clients/{client}/", '{"conditions": ["a\\u0000b"]}'),
        ("/api/clients/{client}/", '{"conditions": ["\\ud800"]}'),
        ("/api/clients/{client}/", '{"first_name": "Ann", "\\u0000": 1}'),
    ],
)
def test_a_nul_or_lone_surrogate_anywhere_in_a_json_body_is_a_400(api_as, edges, path, body):
    response = _send(api_as(edges["owner"]), "patch", path.format(client=edges["client"].pk), body)
    assert response.status_code == 400
    assert "NUL character or an unpaired surrogate" in response.json()["detail"]


def test_every_api_view_parses_json_with_the_bounded_parser():
    """A view that pins DRF's own JSONParser (parser_classes = [...]) would bring the 500 back."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework import parsers

    from studio.kernel.parsers import JSONParser

    def views(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from views(entry.url_patterns)
            elif isinstance(entry, URLPattern) and hasattr(entry.callback, "cls"):
                yield entry.callback.cls

    checked = 0
    for view in views(get_resolver().url_patterns):
        for parser in view.parser_classes:
            if issubclass(parser, parsers.JSONParser):
                assert issubclass(parser, JSONParser), f"{view.__name__} uses {parser}"
                checked += 1
    assert checked > 20


def test_a_signed_stripe_webhook_nested_too_deep_is_a_400(api, db, settings):
    from tests.fixtures.stripe import LocalStripe

    settings.STRIPE_WEBHOOK_SECRET = "whsec_hardening"
    body = DEEP.encode()
    response = api.post(
        "/webhooks/stripe/",
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=LocalStripe.sign(body, secret="whsec_hardening"),
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The body is not JSON."}


# 2. Dates and date-times at the edges ---------------------------------------------------------

BOOKER = {"name": "Edge Case", "email": "edge@example.org"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        # the issue's own
        (
            "post",
            "/api/bookings/",
            {"service": "consultation", "start": "0001-01-01T00:00:00+00:00", **BOOKER},
            "start",
        ),
        (
            "post",
            "/api/bookings/",
            {"service": "consultation", "start": "9999-12-31T23:59:59-14:00", **BOOKER},
            "start",
        ),
        ("get", "/api/availability/?service=consultation&start=0001-01-01&end=0001-01-02", None, "start"),
        ("get", "/api/availability/?service=consultation&start=9999-12-30&end=9999-12-31", None, "end"),
        ("get", "/api/bookings/?start=0001-01-01T00:00:00%2B14:00", None, "start"),
        # their neighbours: every date the API reads
        ("get", "/api/bookings/?end=9999-12-31T23:59:59-14:00", None, "end"),
        ("get", "/api/bookings/?start=0001-01-01", None, "start"),
        ("post", "/api/bookings/{booking}/reschedule/", {"start": "0001-01-01T00:00:00+14:00"}, "start"),
        ("post", "/api/bookings/{booking}/reschedule/", {"start": "9999-12-31T23:59:59-14:00"}, "start"),
        ("post", "/api/programs/{program}/logs/", {"date": "0001-01-01", "pain": 2}, "date"),
        ("get", "/api/programs/{program}/logs/?since=0001-01-01", None, "since"),
        ("post", "/api/programs/", {"client": "{client}", "title": "t", "start_date": "9999-12-31"}, "start_date"),
        ("patch", "/api/programs/{program}/", {"start_date": "0001-01-01"}, "start_date"),
        ("patch", "/api/clients/{client}/", {"date_of_birth": "0001-01-01"}, "date_of_birth"),
    ],
)  # fmt: skip
def test_dates_outside_the_supported_range_are_a_400_naming_the_field(
    api_as, edges, method, path, body, field
):
    ids = {k: v.pk for k, v in edges.items()}
    path = path.format(**ids)
    if body and body.get("client") == "{client}":
        body = {**body, "client": ids["client"]}
    caller = edges["client"].user if "/logs/" in path else edges["owner"]
    response = _send(api_as(caller), method, path, body)
    assert response.status_code == 400, response.content
    assert RANGE_TEXT in response.json()[field][0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/availability/?service=consultation&start=2200-12-30&end=2200-12-31",
        "/api/availability/?service=consultation&start=1900-01-01&end=1900-01-02&tz=Pacific/Kiritimati",
        "/api/bookings/?start=1900-01-01T00:00:00%2B14:00&end=2200-12-31T23:59:59-14:00",
    ],
)
def test_dates_at_the_ends_of_the_range_are_answered(api_as, edges, path):
    assert api_as(edges["owner"]).get(path).status_code == 200


@pytest.mark.parametrize("start", ["1900-01-01T00:00:00+14:00", "2200-12-31T23:59:59-14:00"])
def test_a_booking_at_the_ends_of_the_range_is_refused_as_a_taken_slot(api, desk, start):
    response = api.post("/api/bookings/", {"service": "consultation", "start": start, **BOOKER})
    assert response.status_code == 409


# 3. Integers past 64 bits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("get", f"/api/payments/?booking={HUGE_BOOKING}", None, "booking"),
        ("get", f"/api/bookings/?specialist={HUGE_ID}", None, "specialist"),
        ("get", f"/api/reminders/?booking={HUGE_ID}", None, "booking"),
        ("get", f"/api/availability/?service=consultation&start=2026-06-01&end=2026-06-02&specialist={HUGE_ID}", None, "specialist"),
        ("get", f"/api/programs/?client={HUGE_ID}", None, "client"),
        ("post", "/api/bookings/", {"service": "consultation", "start": "2026-06-02T09:00:00-04:00", "specialist": int(HUGE_ID), **BOOKER}, "specialist"),
        ("post", "/api/bookings/", {"service": "consultation", "start": "2026-06-02T09:00:00-04:00", "client": int(HUGE_ID)}, "client"),
        ("get", "/api/payments/?booking=9223372036854775808", None, "booking"),
        ("get", "/api/payments/?booking=0", None, "booking"),
    ],
)  # fmt: skip
def test_ids_past_64_bits_in_a_filter_are_a_400_naming_it(api_as, edges, method, path, body, field):
    response = _send(api_as(edges["owner"]), method, path, body)
    assert response.status_code == 400, response.content
    assert response.json()[field] == ["Give an id: a whole number from 1 to 9223372036854775807."]


def test_the_largest_id_in_a_filter_is_an_empty_result(api_as, edges):
    response = api_as(edges["owner"]).get("/api/payments/?booking=9223372036854775807")
    assert response.status_code == 200
    assert response.json()["results"] == []


def _routes(patterns=None, prefix="", converters=()):
    """Every route of the site as (its full route text, the converters of its parameters)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        found = (*converters, *getattr(entry.pattern, "converters", {}).values())
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route, found)
        else:
            yield route, found


ID_ROUTES = [route for route, found in _routes() if any(isinstance(c, IdConverter) for c in found)]


def test_every_id_in_a_path_is_read_by_the_id_converter():
    """Django's <int:> matches any length of digits; ids past 64 bits then reach the view, where
    SQLite cannot compare them (an OverflowError: the fuzzer found DELETE /api/clients/1/
    care-team/<huge>/ answering 500). Every id goes through <id:> (studio/kernel/converters.py)."""
    plain_ints = [
        route for route, found in _routes() if any(isinstance(c, IntConverter) for c in found)
    ]
    assert plain_ints == []
    assert len(ID_ROUTES) > 60  # the walk found the routes (67 when this was written)


@pytest.mark.parametrize("route", ID_ROUTES)
def test_ids_past_64_bits_in_the_path_are_not_found(client, owner_user, edges, route):
    """On every route with an id, as the owner (who may see everything), whatever the method."""
    path = "/" + re.sub(r"<id:\w+>", HUGE_ID, route)
    path = re.sub(r"<\w+:\w+>", "1", path)
    client.force_login(owner_user)
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path, response.status_code)
        if path.startswith("/api/"):
            assert response.json() == {"detail": "Not found."}


# 4. The same with DEBUG on --------------------------------------------------------------------


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_the_issues_requests_are_4xx_whether_debug_is_on_or_off(
    api, api_as, edges, settings, debug
):
    settings.DEBUG = debug
    owner = api_as(edges["owner"])
    for path in ("/api/auth/token/", "/api/enquiries/", "/api/bookings/"):
        assert api.post(path, DEEP, content_type="application/json").status_code == 400
    for start in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59-14:00"):
        body = {"service": "consultation", "start": start, **BOOKER}
        assert api.post("/api/bookings/", body, format="json").status_code == 400
    for path in (
        "/api/availability/?service=consultation&start=0001-01-01&end=0001-01-02",
        "/api/availability/?service=consultation&start=9999-12-30&end=9999-12-31",
        "/api/bookings/?start=0001-01-01T00:00:00%2B14:00",
        f"/api/payments/?booking={HUGE_BOOKING}",
        f"/api/bookings/?specialist={HUGE_ID}",
    ):
        assert owner.get(path).status_code == 400, path


@pytest.mark.parametrize("start", ["0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00"])
def test_the_booking_page_treats_a_start_outside_the_range_as_no_such_time(client, desk, start):
    """The booking flow's pages parse the start themselves (not through a serializer)."""
    response = client.get(f"/book/consultation/details/?start={start}")
    assert response.status_code == 404


def test_an_intake_date_outside_the_range_is_a_400_naming_the_question(api_as, edges):
    """Intake answers go through the intake form's fields, not a serializer's."""
    from accounts.intake import intake_form_publish
    from accounts.intake_v1 import QUESTIONS

    intake_form_publish(questions=QUESTIONS)
    body = {
        "answers": {"date_of_birth": "0001-01-01"},
        "signature_name": "Edge Case",
        "consent": True,
    }
    response = api_as(edges["client"].user).post("/api/intake/", body, format="json")
    assert response.status_code == 400
    assert RANGE_TEXT in response.json()["date_of_birth"][0]


@pytest.mark.parametrize("end", ["9999-12-31T23:59", "0001-01-02T00:00"])
def test_a_studio_closure_outside_the_range_is_a_form_error(client, edges, end):
    from bookings.models import Closure

    client.force_login(edges["owner"])
    body = {"action": "add_closure", "start": "2026-12-20T00:00", "end": end}
    response = client.post("/studio/availability/", body)
    assert response.status_code == 200
    assert RANGE_TEXT in response.content.decode()
    assert not Closure.objects.exists()
