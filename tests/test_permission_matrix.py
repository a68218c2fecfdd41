"""The permission matrix: every route of the URL conf and every operation of the OpenAPI schema,
tried by the owner, two specialists, two clients and an anonymous caller against each other
party's objects, reading and writing (accounts/access.py is the rule under test).

The world: client 1 is on specialist 1's care team, client 2 on specialist 2's; each client has
a converted enquiry, a booking with a payment and a reminder, and a program with a practice log.

- An object route (its path names a client, booking, program, payment or enquiry) answers 404
  to a caller allowed by role who may not see the object's client, never 403 (which would
  confirm it exists); a caller of another role gets 403 or 404; anonymous 401 or the login
  page; nothing else ever succeeds. The caller who may see it gets through the gate.
- Every route without an object (lists, pages, feeds, panels) never shows a client the caller
  may not see; the lists show exactly those they may.
- A route in the URL conf, or an operation in the schema, with no entry here fails the test: a
  new route must say how it is guarded before it ships.

Each request runs inside a savepoint that is rolled back, so every one meets the same world.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ClientProfile, Enquiry, Studio
from bookings.calendars.feeds import calendar_feeds_ensure
from bookings.models import Payment, Reminder
from programs import practice, services
from programs.demo import seed_catalog
from tests import factories

OWNER, SPECIALIST, CLIENT = "owner", "specialist", "client"
STAFF = frozenset({OWNER, SPECIALIST})
ANYONE = frozenset({OWNER, SPECIALIST, CLIENT})
ACTORS = ("anon", "owner", "s1", "s2", "c1", "c2")
ROLE = {"owner": OWNER, "s1": SPECIALIST, "s2": SPECIALIST, "c1": CLIENT, "c2": CLIENT}


@dataclass(frozen=True)
class Entry:
    """How a route is guarded.

    kind: what its first path parameter names ("client", "booking", "program", "payment",
      "enquiry"), or "page" (no object: checked for what it shows), "token" (a bearer link:
      whoever holds it), "own" (the caller's own settings: no client data), "public".
    who: the roles the route is for (others get 403 or 404).
    body: per method, the body to send (a function of the world and the party), so that a
      caller who may go through reaches the rule and not a validation error.
    lists: for list routes, a function (world, JSON body) -> the client parties shown, and the
      query strings to try (targeting the other party's records).
    """

    kind: str
    methods: tuple[str, ...] = ("GET",)
    who: frozenset = STAFF
    body: dict[str, Callable] = field(default_factory=dict)
    query: Callable | None = None
    lists: Callable | None = None
    variants: tuple[str, ...] = ()
    why: str = ""


def rows(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


def by_client_id(w, body):
    return {w.party_of_client[r["client"]] for r in rows(body) if r.get("client") is not None}


def by_id(w, body):
    return {w.party_of_client[r["id"]] for r in rows(body)}


def by_booking(w, body):
    return {w.party_of_booking[r["booking"]] for r in rows(body)}


def by_email(w, body):
    return {w.party_of_email[r["email"]] for r in rows(body) if r["email"] in w.party_of_email}


def _tomorrow_plus(w, i):
    return {"start": (w.bookings[i].start + timedelta(days=1)).isoformat()}


def _log(w, i):
    return {"date": practice.client_today(w.clients[i]).isoformat(), "pain": 2}


def _other_specialist(w, i):
    return {"specialist": w.specialists[3 - i].pk}


MATRIX: dict[str, Entry] = {
    # --- pages without an object: what they show ------------------------------------------
    "": Entry("page", who=ANYONE, why="front page: services and specialists"),
    "healthz": Entry("public", why="database and broker health"),
    "^media/(?P<path>.+)$": Entry("public", why="uploaded public pictures (accounts/media.py)"),
    "dashboard/": Entry("page", who=ANYONE),
    "portal/": Entry("page", who=frozenset({CLIENT})),
    "workspace/": Entry("page"),
    "studio/schedule/": Entry("page"),
    "studio/reports/": Entry("page", who=frozenset({OWNER})),
    "studio/schedule/events/": Entry("page"),
    "studio/reminders/": Entry("page"),
    "studio/availability/": Entry("own", methods=("GET", "POST"), why="working hours"),
    "studio/book/": Entry("page", variants=("?client={c1}", "?client={c2}")),
    "studio/settings/": Entry("page", who=frozenset({OWNER})),
    "studio/settings/services/": Entry("page", who=frozenset({OWNER})),
    "studio/settings/services/<slug:slug>/": Entry("own", why="a service (owner)"),
    "studio/settings/staff/": Entry("page", who=frozenset({OWNER})),
    "studio/settings/staff/<id:pk>/active/": Entry(
        "own", methods=("POST",), why="a staff account (owner)"
    ),
    # Searches for part of a name: the search box echoes what was typed.
    "accounts/clients/": Entry("page", variants=("?q=lementin", "?q=orothe")),
    "accounts/enquiries/": Entry("page", variants=("?status=all", "?status=converted")),
    "programs/": Entry("page", variants=("?all=1",)),
    "programs/new/": Entry("page", variants=("?client={c1}", "?client={c2}")),
    "programs/templates/": Entry("page", why="studio material"),
    "programs/exercises/": Entry("public", why="the exercise catalog"),
    "programs/exercises/new/": Entry("public", why="the exercise catalog"),
    "programs/exercises/<slug:slug>/": Entry("public", why="the exercise catalog"),
    "programs/exercises/<slug:slug>/edit/": Entry("public", why="the exercise catalog"),
    "portal/program/": Entry("page", who=frozenset({CLIENT})),
    "accounts/profile/": Entry("page", who=frozenset({CLIENT})),
    "accounts/intake/": Entry("page", who=frozenset({CLIENT})),
    "workspace/calendars/": Entry("page"),
    "workspace/calendars/connections/": Entry("own", why="the specialist's own calendars"),
    "workspace/calendars/connections/add/": Entry("own", methods=("POST",), why="own calendars"),
    "workspace/calendars/connections/<id:pk>/sync/": Entry("own", why="own calendars"),
    "workspace/calendars/connections/<id:pk>/remove/": Entry("own", why="own calendars"),
    "calendar/feeds/<str:kind>/new-link/": Entry("own", methods=("POST",), why="own feed link"),
    "accounts/login/": Entry("public", why="login"),
    "accounts/logout/": Entry("public", methods=("POST",), why="logout"),
    "accounts/password-reset/": Entry("public", why="asks for an address, says the same"),
    "accounts/password-reset/sent/": Entry("public", why="a message"),
    "accounts/reset/<uidb64>/<token>/": Entry("token", why="password reset link"),
    "accounts/reset/done/": Entry("public", why="a message"),
    "enquire/": Entry("public", why="the enquiry form"),
    "enquire/thanks/": Entry("public", why="a message"),
    "book/": Entry("public", why="the booking flow"),
    "book/<slug:slug>/": Entry("public", why="the booking flow"),
    "book/<slug:slug>/times/": Entry("public", why="the booking flow"),
    "book/<slug:slug>/details/": Entry("public", why="the booking flow"),
    "bookings/manage/<str:token>/": Entry("token", why="the manage link's holder"),
    "bookings/manage/<str:token>/cancel/": Entry("token", methods=("POST",), why="manage link"),
    "bookings/manage/<str:token>/booking.ics": Entry("token", why="the manage link's .ics"),
    "bookings/manage/<str:token>/reschedule/": Entry("token", methods=("POST",), why="manage"),
    "bookings/pay/<str:token>/": Entry("token", why="the pay link's holder"),
    "bookings/pay/<str:token>/status/": Entry("token", why="the pay link's holder"),
    "accounts/intake/<str:token>/": Entry("token", why="the signed intake link"),
    "calendar/<str:token>.ics": Entry("token", why="the feed's secret URL (checked per actor)"),
    "webhooks/stripe/": Entry("public", methods=("POST",), why="signed by Stripe"),
    # --- pages about one client -----------------------------------------------------------
    "accounts/clients/<id:pk>/": Entry("client"),
    "accounts/clients/<id:pk>/edit/": Entry("client", methods=("GET", "POST")),
    "accounts/clients/<id:pk>/intake-link/": Entry("client", methods=("POST",)),
    "accounts/clients/<id:pk>/erase/": Entry(
        "client", methods=("POST",), body={"POST": lambda w, i: {"confirm": "no"}}
    ),
    "accounts/clients/<id:pk>/care-team/": Entry(
        "client", methods=("POST",), body={"POST": _other_specialist}
    ),
    "accounts/clients/<id:pk>/care-team/<id:specialist>/remove/": Entry(
        "client", methods=("POST",)
    ),
    "accounts/enquiries/<id:pk>/status/": Entry(
        "enquiry", methods=("POST",), body={"POST": lambda w, i: {"status": "contacted"}}
    ),
    "accounts/enquiries/<id:pk>/notes/": Entry(
        "enquiry", methods=("POST",), body={"POST": lambda w, i: {"staff_notes": "x"}}
    ),
    "accounts/enquiries/<id:pk>/convert/": Entry("enquiry", methods=("POST",)),
    "studio/bookings/<id:pk>/": Entry("booking"),
    "studio/bookings/<id:pk>/action/": Entry(
        "booking", methods=("POST",), body={"POST": lambda w, i: {"action": "none"}}
    ),
    "studio/bookings/<id:pk>/desk/payment/": Entry(
        "booking", methods=("POST",), body={"POST": lambda w, i: {"amount": "0"}}
    ),
    "studio/bookings/<id:pk>/desk/refund/": Entry(
        "booking", methods=("POST",), body={"POST": lambda w, i: {"amount": "0"}}
    ),
    "studio/bookings/<id:pk>/move/": Entry(
        "booking", methods=("POST",), body={"POST": lambda w, i: {"start": ""}}
    ),
    "bookings/<id:booking_id>/payments/": Entry(
        "booking",
        methods=("GET", "POST"),
        body={"POST": lambda w, i: {"payment": w.payments[i].pk, "amount": "100000"}},
    ),
    "programs/<id:pk>/": Entry("program", methods=("GET", "POST")),
    "programs/<id:pk>/search/": Entry("program"),
    "programs/<id:pk>/row/": Entry("program", query=lambda w, i: f"?exercise={w.exercise.pk}"),
    "programs/<id:pk>/status/": Entry(
        "program", methods=("POST",), body={"POST": lambda w, i: {"status": "archived"}}
    ),
    "programs/<id:pk>/save-template/": Entry(
        "program", methods=("POST",), body={"POST": lambda w, i: {"title": "Copied"}}
    ),
    "programs/<id:pk>/print/": Entry("program"),
    "portal/program/<id:pk>/": Entry("program", who=frozenset({CLIENT})),
    "portal/program/<id:pk>/log/": Entry(
        "program", methods=("POST",), who=frozenset({CLIENT}), body={"POST": _log}
    ),
    "portal/program/<id:pk>/print/": Entry("program", who=frozenset({CLIENT})),
    # --- the API ---------------------------------------------------------------------------
    "api/auth/token/": Entry("public", methods=("POST",), why="login"),
    "api/auth/logout/": Entry("own", methods=("POST",), why="ends the caller's token"),
    "api/schema/": Entry("public", why="the schema"),
    "api/docs/": Entry("public", why="the docs page"),
    "api/services/": Entry("public", methods=("GET", "POST"), why="the catalogue (owner adds)"),
    "api/services/<slug:slug>/": Entry("own", methods=("PATCH",), why="the catalogue (owner)"),
    "api/staff/": Entry("own", methods=("POST",), why="staff accounts (owner invites)"),
    "api/reports/": Entry(
        "page", who=frozenset({OWNER}), variants=("?start=2026-01-01&end=2026-12-31",)
    ),
    "api/specialists/": Entry("public", why="the catalogue"),
    "api/availability/": Entry("public", why="free slots: not health data"),
    # Group classes (bookings/classes/): the timetable and booking a place are public like /book/;
    # a claim link's token is the offer; staff routes show names only of the caller's care
    # teams' clients (bookings/classes/checkin.py roster_rows) or no client at all.
    "api/classes/": Entry("public", methods=("GET", "POST"), why="timetable; staff create"),
    "api/classes/<id:pk>/": Entry("public", methods=("GET", "PATCH"), why="a class; staff edit"),
    "api/classes/<id:pk>/book/": Entry("public", methods=("POST",), why="booking a place"),
    "api/classes/<id:pk>/cancel/": Entry("own", methods=("POST",), why="staff cancel a class"),
    "api/classes/<id:pk>/waitlist/": Entry(
        "own", methods=("POST", "DELETE"), why="the caller's own place in line"
    ),
    "api/classes/<id:pk>/roster/": Entry("own", why="names of the caller's care teams only"),
    "api/classes/<id:pk>/check-in/": Entry("own", methods=("POST",), why="staff tick a place"),
    "api/waitlist/claim/": Entry("token", methods=("POST",), why="the offer's claim token"),
    "api/resources/": Entry("public", why="rooms and equipment: no client data"),
    "classes/": Entry("public", why="the timetable"),
    "classes/<id:pk>/book/": Entry("public", why="booking a place"),
    "classes/<id:pk>/waitlist/": Entry("own", methods=("POST",), why="the caller's own place"),
    "classes/claim/<str:token>/": Entry("token", why="the offer's claim link"),
    "studio/classes/<id:pk>/": Entry("own", why="roster: names of the caller's care teams only"),
    "studio/classes/<id:pk>/check-in/": Entry("own", methods=("POST",), why="staff tick"),
    "api/exercises/": Entry("public", why="the exercise catalog"),
    "api/exercises/<id:pk>/": Entry("public", why="the exercise catalog"),
    "api/program-templates/": Entry("public", why="studio material"),
    "api/intake/form/": Entry("public", why="the questions"),
    "api/intake/": Entry("own", methods=("POST",), why="the client answers for themself"),
    "api/studio/": Entry("own", methods=("GET", "PATCH"), why="studio settings"),
    "api/calendar-feeds/": Entry("page", who=ANYONE),
    "api/calendar-feeds/<str:kind>/": Entry("own", methods=("DELETE",), why="own feed"),
    "api/calendar-feeds/<str:kind>/regenerate/": Entry("own", methods=("POST",), why="own"),
    "api/clients/": Entry("page", lists=by_id, variants=("?search=lementin", "?search=orothea@")),
    "api/clients/me/": Entry("page", who=frozenset({CLIENT})),
    "api/enquiries/": Entry(
        "page", methods=("GET", "POST"), lists=by_email, variants=("?status=converted",)
    ),
    "api/bookings/": Entry(
        "page",
        methods=("GET", "POST"),
        who=ANYONE,
        lists=by_client_id,
        variants=("?specialist={s1}", "?specialist={s2}", "?status=confirmed"),
    ),
    "api/programs/": Entry(
        "page",
        methods=("GET", "POST"),
        who=ANYONE,
        lists=by_client_id,
        variants=("?client={c1}", "?client={c2}", "?mine=true"),
    ),
    "api/payments/": Entry(
        "page", who=ANYONE, lists=by_booking, variants=("?booking={b1}", "?booking={b2}")
    ),
    "api/reminders/": Entry("page", lists=by_booking, variants=("?booking={b1}", "?booking={b2}")),
    "api/clients/<id:pk>/": Entry(
        "client",
        methods=("GET", "PATCH"),
        who=ANYONE,
        body={"PATCH": lambda w, i: {"phone": "555-0100"}},
    ),
    "api/clients/<id:pk>/export/": Entry("client", who=ANYONE),
    "api/clients/<id:pk>/erase/": Entry(
        "client",
        methods=("POST",),
        who=frozenset({OWNER}),
        body={"POST": lambda w, i: {"confirm": True}},
    ),
    "api/clients/<id:pk>/intake-link/": Entry("client", methods=("POST",)),
    "api/clients/<id:pk>/care-team/": Entry(
        "client",
        methods=("GET", "POST"),
        who=ANYONE,
        body={"POST": _other_specialist},
    ),
    "api/clients/<id:pk>/care-team/<id:specialist>/": Entry("client", methods=("DELETE",)),
    "api/enquiries/<id:pk>/": Entry(
        "enquiry", methods=("GET", "PATCH"), body={"PATCH": lambda w, i: {"staff_notes": "x"}}
    ),
    "api/enquiries/<id:pk>/convert/": Entry("enquiry", methods=("POST",)),
    "api/bookings/<id:pk>/": Entry("booking", who=ANYONE),
    "api/bookings/<id:pk>/cancel/": Entry("booking", methods=("POST",), who=ANYONE),
    "api/bookings/<id:pk>/reschedule/": Entry(
        "booking", methods=("POST",), who=ANYONE, body={"POST": _tomorrow_plus}
    ),
    "api/bookings/<id:pk>/complete/": Entry("booking", methods=("POST",)),
    "api/bookings/<id:pk>/no-show/": Entry("booking", methods=("POST",)),
    "api/bookings/<id:pk>/mark/": Entry(
        "booking", methods=("POST",), body={"POST": lambda w, i: {"status": "completed"}}
    ),
    "api/bookings/<id:pk>/payments/": Entry(
        "booking",
        methods=("GET", "POST"),
        body={"POST": lambda w, i: {"amount": 999999999, "method": "cash"}},
    ),
    "api/bookings/<id:pk>/refunds/": Entry(
        "booking",
        methods=("POST",),
        body={"POST": lambda w, i: {"amount": 999999999, "method": "cash"}},
    ),
    "api/payments/<id:pk>/": Entry("payment", who=ANYONE),
    "api/payments/<id:pk>/refund/": Entry(
        "payment", methods=("POST",), body={"POST": lambda w, i: {"amount": 999999}}
    ),
    "api/programs/<id:pk>/": Entry(
        "program",
        methods=("GET", "PATCH"),
        who=ANYONE,
        body={"PATCH": lambda w, i: {"title": "Renamed", "reason": "matrix"}},
    ),
    "api/programs/<id:pk>/publish/": Entry("program", methods=("POST",)),
    "api/programs/<id:pk>/complete/": Entry("program", methods=("POST",)),
    "api/programs/<id:pk>/archive/": Entry("program", methods=("POST",)),
    "api/programs/<id:pk>/versions/": Entry("program"),
    "api/programs/<id:pk>/logs/": Entry(
        "program", methods=("GET", "POST"), who=ANYONE, body={"POST": _log}
    ),
    # --- passes and credits (bookings/passes; purchases: tests/bookings/passes/test_api.py) ---
    "passes/": Entry("public", why="the pass catalogue"),
    "passes/<slug:slug>/buy/": Entry("own", methods=("POST",), why="a client buys for themself"),
    "passes/pay/<str:token>/": Entry("token", why="the pass pay link's holder"),
    "passes/pay/<str:token>/status/": Entry("token", why="the pass pay link's holder"),
    "portal/credits/": Entry("page", who=frozenset({CLIENT})),
    "accounts/clients/<id:pk>/credits/": Entry(
        "client",
        methods=("GET", "POST"),
        body={"POST": lambda w, i: {"amount": "1", "reason": "matrix"}},
    ),
    "api/passes/": Entry("public", why="the pass catalogue"),
    "api/passes/<slug:slug>/buy/": Entry(
        "own", methods=("POST",), why="for the caller; staff name a client they may see"
    ),
    "api/purchases/": Entry("page", who=ANYONE, variants=("?client={c1}", "?client={c2}")),
    "api/purchases/<id:pk>/subscribe/": Entry(
        "own", methods=("POST",), why="purchases the caller may see (access.client_filter)"
    ),
    "api/purchases/<id:pk>/cancel/": Entry(
        "own", methods=("POST",), why="purchases the caller may see (access.client_filter)"
    ),
    "api/purchases/<id:pk>/refund/": Entry(
        "own", methods=("POST",), why="purchases the caller may see (access.client_filter)"
    ),
    "api/credits/": Entry("page", who=ANYONE, variants=("?client={c1}", "?client={c2}")),
    "api/credits/adjust/": Entry(
        "page", methods=("POST",), why="the client is in the body: access.client_or_404"
    ),
    "api/programs/<id:pk>/logs/<str:day>/": Entry(
        "program", methods=("PUT",), who=frozenset({CLIENT}), body={"PUT": lambda w, i: {"pain": 2}}
    ),
}
# Methods of object routes only some roles may use (the others get 403 or 404).
ONLY = {
    ("api/clients/<id:pk>/care-team/", "POST"): STAFF,
    ("api/programs/<id:pk>/", "PATCH"): STAFF,
    ("api/programs/<id:pk>/logs/", "POST"): frozenset({CLIENT}),
    ("api/bookings/<id:pk>/complete/", "POST"): STAFF,
}
ADMIN = settings.ADMIN_PATH


# --- the routes and operations that exist -----------------------------------------------------


def url_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    return [r for r in walk(get_resolver().url_patterns) if not r.startswith(ADMIN)]


def shape(path: str) -> str:
    """'api/clients/<id:pk>/' and '/api/clients/{id}/' both become '/api/clients/{}/'."""
    import re

    path = "/" + path.lstrip("/")
    return re.sub(r"<[^>]+>|\{[^}]+\}", "{}", path)


def schema_operations() -> set[tuple[str, str]]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (shape(path), method.upper())
        for path, ops in schema["paths"].items()
        for method in ops
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_matrix_covers_every_route_and_operation():
    """A route in the URL conf or an operation in the OpenAPI schema without an entry fails
    here: say how it is guarded (and for an object route, what its parameter names)."""
    routes = url_routes()
    missing = sorted(set(routes) - set(MATRIX))
    assert not missing, f"routes with no entry in the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - set(routes))
    assert not stale, f"matrix entries for routes that no longer exist: {stale}"
    documented = {(shape(route), m) for route, e in MATRIX.items() for m in e.methods}
    undocumented = sorted(schema_operations() - documented)
    assert not undocumented, f"schema operations with no method in the matrix: {undocumented}"
    for route, entry in MATRIX.items():
        if entry.kind in ("own", "public", "token"):
            assert entry.why, f"{route}: say why no client's records are at stake"


# --- the world --------------------------------------------------------------------------------

NAMES = {1: ("Clementine", "Aardvark"), 2: ("Dorothea", "Quokka")}


@dataclass
class World:
    owner: object
    specialists: dict
    clients: dict
    bookings: dict
    payments: dict
    programs: dict
    enquiries: dict
    exercise: object
    users: dict = field(default_factory=dict)

    def __post_init__(self):
        self.users = {
            "owner": self.owner,
            "s1": self.specialists[1].user,
            "s2": self.specialists[2].user,
            "c1": self.clients[1].user,
            "c2": self.clients[2].user,
        }
        self.party_of_client = {c.pk: i for i, c in self.clients.items()}
        self.party_of_booking = {b.pk: i for i, b in self.bookings.items()}
        self.party_of_email = {c.user.email: i for i, c in self.clients.items()}

    def sees(self, actor: str, party: int) -> bool:
        """The rule, written out plainly: the owner all; a specialist and a client their own."""
        if actor == "anon":
            return False
        return actor == "owner" or actor[1:] == str(party)

    def markers(self, party: int) -> tuple[str, ...]:
        first, last = NAMES[party]
        return (first, last, self.clients[party].user.email)

    def fill(self, text: str) -> str:
        return text.format(
            c1=self.clients[1].pk,
            c2=self.clients[2].pk,
            s1=self.specialists[1].pk,
            s2=self.specialists[2].pk,
            b1=self.bookings[1].pk,
            b2=self.bookings[2].pk,
        )

    def object_id(self, kind: str, party: int) -> int:
        return {
            "client": self.clients,
            "booking": self.bookings,
            "program": self.programs,
            "payment": self.payments,
            "enquiry": self.enquiries,
        }[kind][party].pk


@pytest.fixture
def world(db, settings) -> World:
    settings.SITE_URL = "http://testserver"
    studio = Studio.get()
    studio.timezone = "America/New_York"
    studio.save()
    catalog = seed_catalog()
    exercise = catalog["calf-stretch"]
    owner = factories.owner(email="owner@matrix.test")
    service = factories.ServiceFactory(name="Private session", price=5000)
    specialists, clients, bookings, payments, programs, enquiries = {}, {}, {}, {}, {}, {}
    now = timezone.now()
    for i in (1, 2):
        specialists[i] = factories.SpecialistFactory(user__email=f"specialist{i}@matrix.test")
        service.specialists.add(specialists[i])
        first, last = NAMES[i]
        clients[i] = factories.ClientFactory(
            user__first_name=first, user__last_name=last, user__email=f"{first.lower()}@ex.org"
        )
        factories.on_care_team(clients[i], specialists[i], reason="converted")
        enquiries[i] = Enquiry.objects.create(
            name=f"{first} {last}",
            email=clients[i].user.email,
            message="My knees hurt on the stairs.",
            consent=True,
            status=Enquiry.Status.CONVERTED,
            client=clients[i],
            converted_by=specialists[i].user,
        )
        bookings[i] = factories.BookingFactory(
            client=clients[i],
            specialist=specialists[i],
            service=service,
            start=(now + timedelta(days=2 + i)).replace(microsecond=0),
        )
        payments[i] = Payment.objects.create(
            booking=bookings[i],
            payment_intent=f"pi_matrix_{i}",
            amount=5000,
            currency="USD",
            status=Payment.Status.SUCCEEDED,
            paid_at=now,
        )
        Reminder.objects.create(
            booking=bookings[i], kind="before-1440", due_at=bookings[i].start - timedelta(days=1)
        )
        programs[i] = services.program_create(
            client=clients[i],
            by=specialists[i].user,
            title=f"{first}'s knees",
            items=[{"exercise": exercise}],
        )
        practice.practice_log_record(
            program=programs[i],
            by=clients[i].user,
            date=practice.client_today(clients[i]),
            pain=3,
            comment="Stairs were easier",
        )
    w = World(owner, specialists, clients, bookings, payments, programs, enquiries, exercise)
    for user in w.users.values():
        calendar_feeds_ensure(user=user)
    return w


class Caller:
    """One actor's API and page clients (logged in once, before any savepoint)."""

    def __init__(self, user):
        self.api, self.page = APIClient(), Client()
        if user is not None:
            self.api.force_authenticate(user)
            self.page.force_login(user)

    def send(self, method: str, path: str, body: dict | None):
        if path.startswith("/api/"):
            return getattr(self.api, method.lower())(path, body or {}, format="json")
        if method == "GET":
            return self.page.get(path)
        return self.page.generic(
            method,
            path,
            data=_form(body or {}),
            content_type="application/x-www-form-urlencoded",
        )


def _form(body: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(body)


def rolled_back(call, *args):
    """Run one request in a savepoint and undo it, so every request meets the same world."""
    point = transaction.savepoint()
    try:
        return call(*args)
    finally:
        transaction.savepoint_rollback(point)


def to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response["Location"]).path.startswith(
        "/accounts/login/"
    )


def text(response) -> str:
    content = getattr(response, "content", None)
    if content is None:  # a streaming answer
        content = b"".join(response.streaming_content)
    return content.decode(errors="replace")


# --- object routes ----------------------------------------------------------------------------


def object_path(w: World, route: str, entry: Entry, party: int) -> str:
    path = "/" + route
    first = w.object_id(entry.kind, party)
    path = path.replace("<id:pk>", str(first)).replace("<id:booking_id>", str(first))
    path = path.replace("<id:specialist>", str(w.specialists[party].pk))
    path = path.replace("<str:day>", practice.client_today(w.clients[party]).isoformat())
    if entry.query:
        path += entry.query(w, party)
    return path


def expected(w: World, route: str, entry: Entry, method: str, actor: str, party: int) -> str:
    """What the rule says: 'through' (past the gate), '404', 'role' (403 or 404), 'anon'."""
    if actor == "anon":
        return "anon"
    who = ONLY.get((route, method), entry.who)
    if ROLE[actor] not in who:
        return "role"
    return "through" if w.sees(actor, party) else "404"


def judge(outcome: str, response) -> bool:
    status = response.status_code
    if status >= 500:
        return False
    if outcome == "anon":
        return status in (401, 403, 404) or to_login(response)
    if outcome == "404":
        return status == 404
    if outcome == "role":
        return status in (403, 404)
    return status not in (401, 403, 404) and not to_login(response)


OBJECT_ROUTES = sorted(
    r for r, e in MATRIX.items() if e.kind in ("client", "booking", "program", "payment", "enquiry")
)


def test_every_object_route_answers_each_party_by_the_rule(world):
    """Every object route x method x caller x party: past the gate only for those who may see
    the client; a 404 (never a 403) for staff off the care team; nothing of the client in any
    refusal."""
    w = world
    callers = {a: Caller(w.users.get(a)) for a in ACTORS}
    failures, tried = [], 0
    for route in OBJECT_ROUTES:
        entry = MATRIX[route]
        for method in entry.methods:
            for party in (1, 2):
                path = object_path(w, route, entry, party)
                body_of = entry.body.get(method)
                for actor in ACTORS:
                    body = body_of(w, party) if body_of else None
                    response = rolled_back(callers[actor].send, method, path, body)
                    tried += 1
                    outcome = expected(w, route, entry, method, actor, party)
                    leaked = outcome != "through" and any(
                        m in text(response) for m in w.markers(party)
                    )
                    if not judge(outcome, response) or leaked:
                        failures.append(
                            f"{method} {path} as {actor}: {response.status_code}, expected "
                            f"{outcome}{' (leaks the client)' if leaked else ''}"
                        )
    assert tried > 500
    assert not failures, "\n".join(failures)


# --- routes without an object: what they show ------------------------------------------------


def page_paths(w: World) -> list[tuple[str, Entry, str]]:
    paths = []
    for route, entry in sorted(MATRIX.items()):
        if entry.kind != "page" or "GET" not in entry.methods:
            continue
        for variant in ("", *entry.variants):
            paths.append((route, entry, w.fill("/" + route + variant)))
    return paths


def test_no_list_page_feed_or_panel_shows_a_client_the_caller_may_not_see(world):
    """Every page and list without an object, with its filters aimed at the other party: no
    name or address of a client the caller may not see; the API lists show exactly the
    clients they may."""
    w = world
    callers = {a: Caller(w.users.get(a)) for a in ACTORS}
    failures = []
    for route, entry, path in page_paths(w):
        for actor in ACTORS[1:]:
            response = rolled_back(callers[actor].send, "GET", path, None)
            if response.status_code >= 500:
                failures.append(f"GET {path} as {actor}: {response.status_code}")
                continue
            body = text(response)
            hidden = [p for p in (1, 2) if not w.sees(actor, p)]
            for party in hidden:
                if any(m in body for m in w.markers(party)):
                    failures.append(f"GET {path} as {actor} shows client {party}")
            allowed = ROLE[actor] in entry.who
            if entry.lists and allowed and response.status_code == 200:
                shown = entry.lists(w, json.loads(body))
                if shown & set(hidden):
                    failures.append(f"GET {path} as {actor} lists client(s) {shown & set(hidden)}")
                if "?" not in path and shown != {p for p in (1, 2) if w.sees(actor, p)}:
                    failures.append(f"GET {path} as {actor} lists {shown}, not all it may see")
            if not allowed and response.status_code == 200 and route.startswith("api/"):
                failures.append(f"GET {path} as {actor}: 200 for a role it is not for")
    assert not failures, "\n".join(failures)


def test_each_callers_own_calendar_feed_shows_no_other_teams_client(world):
    w = world
    failures = []
    for actor, user in w.users.items():
        for feed in calendar_feeds_ensure(user=user):
            body = text(Client().get(f"/calendar/{feed.token}.ics"))
            assert "BEGIN:VCALENDAR" in body
            for party in (1, 2):
                if not w.sees(actor, party) and any(m in body for m in w.markers(party)):
                    failures.append(f"{actor}'s {feed.kind} feed shows client {party}")
    assert not failures, failures


def test_a_bearer_link_shows_the_booking_not_the_client(world):
    """The manage and pay links work for whoever holds them (a guest may have typed someone's
    address): their pages never name the client to a holder who may not see them."""
    w = world
    for party in (1, 2):
        token = w.bookings[party].manage_token
        for actor in ACTORS:
            caller = Caller(w.users.get(actor))
            for path in (f"/bookings/manage/{token}/", f"/bookings/pay/{token}/"):
                response = rolled_back(caller.send, "GET", path, None)
                assert response.status_code == 200, (path, actor)
                if not w.sees(actor, party):
                    assert not any(m in text(response) for m in w.markers(party)), (path, actor)
            response = caller.api.get(f"/api/bookings/{w.bookings[party].pk}/", {"token": token})
            assert response.status_code == 200
            if not w.sees(actor, party):
                assert response.json()["client"] is None and response.json()["client_name"] is None
        assert Client().get(f"/bookings/manage/{token}x/").status_code == 404


def test_the_admin_is_the_owners_only(world):
    w = world
    path = f"/{ADMIN}accounts/clientprofile/{w.clients[1].pk}/change/"
    for actor in ("s1", "s2", "c1", "c2"):
        response = Caller(w.users[actor]).page.get(path)
        assert response.status_code == 302 and "Clementine" not in text(response), actor
    assert Caller(w.owner).page.get(path).status_code == 200


def test_the_world_is_what_the_matrix_assumes(world):
    """Guard the fixture: if the world changed (e.g. nobody on a team), the matrix would pass
    for the wrong reason."""
    w = world
    for i in (1, 2):
        assert list(
            ClientProfile.objects.get(pk=w.clients[i].pk).care_team.values_list(
                "specialist_id", flat=True
            )
        ) == [w.specialists[i].pk]
        assert w.programs[i].logs.count() == 1 and w.bookings[i].reminders.count() == 1
