"""List and detail endpoints read in a constant number of queries, however many rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Condition
from programs import practice
from tests import factories

pytestmark = pytest.mark.django_db

MANY = [
    "calf-stretch",
    "toe-spreading",
    "heel-raises",
    "standing-quad-stretch",
    "supine-twist",
    "pelvic-list",
    "wall-angels",
    "chin-tuck",
]


def count(api, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def test_program_list_queries_do_not_grow_with_programs_or_items(
    api_as, staff, make_program, catalog
):
    api = api_as(staff)
    first = factories.ClientFactory().user
    first.client.conditions.add(Condition.objects.get(slug="knee-bursitis"))
    first.client.red_flags = ["vertigo"]
    first.client.save()
    make_program(first, slugs=MANY[:1])
    few = count(api, "/api/programs/")
    for _ in range(5):
        user = factories.ClientFactory().user
        user.client.conditions.add(*Condition.objects.filter(slug__in=["vertigo", "osteoporosis"]))
        user.client.red_flags = ["glaucoma"]
        user.client.save()
        make_program(user, slugs=MANY)
    assert count(api, "/api/programs/") == few


def test_client_program_list_queries_are_flat(api_as, make_program, client_user):
    api = api_as(client_user)
    make_program(client_user, slugs=MANY[:1])
    few = count(api, "/api/programs/")
    for _ in range(4):
        make_program(client_user, slugs=MANY)  # earlier ones become completed, still listed
    assert count(api, "/api/programs/") == few


def test_program_detail_queries_do_not_grow_with_items(api_as, staff, make_program, client_user):
    small = make_program(client_user, slugs=MANY[:1])
    big = make_program(client_user, slugs=MANY * 3)
    api = api_as(staff)
    assert count(api, f"/api/programs/{big.pk}/") == count(api, f"/api/programs/{small.pk}/")


def test_exercise_list_queries_are_flat(api_as, staff, catalog):
    api = api_as(staff)
    assert count(api, "/api/exercises/?search=calf") == count(api, "/api/exercises/")


def test_log_list_queries_are_flat(api_as, client_user, make_program):
    program = make_program(client_user, slugs=MANY, start_date=None)
    program.start_date = practice.client_today(client_user.client) - timedelta(days=40)
    program.save()
    api = api_as(client_user)
    items = [i.pk for i in program.items.all()]
    day = practice.client_today(client_user.client)
    practice.practice_log_record(program=program, by=client_user, date=day, completed_items=items)
    few = count(api, f"/api/programs/{program.pk}/logs/")
    for n in range(1, 15):
        practice.practice_log_record(
            program=program, by=client_user, date=day - timedelta(days=n), completed_items=items
        )
    assert count(api, f"/api/programs/{program.pk}/logs/") == few


def test_builder_and_portal_pages_queries_are_flat(client, staff, make_program, client_user):
    small = make_program(client_user, slugs=MANY[:1], status="draft")
    big = make_program(client_user, slugs=MANY * 2, status="draft")

    client.force_login(staff)
    client.get("/programs/")  # first request creates the studio settings row

    def page(user, path):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    assert page(staff, f"/programs/{big.pk}/") == page(staff, f"/programs/{small.pk}/")
    assert page(staff, f"/programs/{big.pk}/print/") == page(staff, f"/programs/{small.pk}/print/")
    # the client's page shows programs that reached them
    type(small).objects.filter(pk=small.pk).update(status="completed")
    type(big).objects.filter(pk=big.pk).update(status="active")
    small_page = page(client_user, f"/portal/program/{small.pk}/")
    assert page(client_user, f"/portal/program/{big.pk}/") == small_page
