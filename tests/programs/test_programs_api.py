import pytest

from programs.models import Program, ProgramVersion
from tests import factories

pytestmark = pytest.mark.django_db


def post_program(api, client_user, items, **extra):
    return api.post(
        "/api/programs/",
        {"client": client_user.client.pk, "title": "Feet first", "items": items, **extra},
        format="json",
    )


def test_program_create_keeps_item_order_and_dosage_overrides(api_as, staff, client_user, catalog):
    items = [
        {"exercise": catalog["calf-stretch"].pk, "hold_seconds": 90, "cue": "Towel roll first."},
        {"exercise": catalog["toe-spreading"].pk, "sets": 3, "days": [4, 0, 0]},
        {"exercise": catalog["rib-cage-breathing"].pk},
    ]
    response = post_program(api_as(staff), client_user, items, goal="Softer calves")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "active" and data["version"] == 1 and data["warnings"] == []
    assert [i["exercise_slug"] for i in data["items"]] == [
        "calf-stretch",
        "toe-spreading",
        "rib-cage-breathing",
    ]
    calf, toes, breathing = data["items"]
    assert (calf["sets"], calf["hold_seconds"], calf["per_side"], calf["cue"]) == (
        1,
        90,
        True,
        "Towel roll first.",
    )
    assert (toes["sets"], toes["reps"], toes["days"]) == (3, 10, [0, 4])
    assert breathing["breaths"] == 10  # the catalog default
    assert data["practice_days"] == [0, 2, 4]  # three times a week, plus the toes' days


def test_program_create_from_a_template_copies_its_items(api_as, staff, client_user, template):
    response = api_as(staff).post(
        "/api/programs/",
        {
            "client": client_user.client.pk,
            "title": "Feet first for Sam",
            "template": template.pk,
            "status": "draft",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["title"], data["goal"], data["template"]) == (
        "Feet first for Sam",
        "Wake up the feet.",
        template.pk,
    )
    assert data["status"] == "draft" and data["version"] == 0
    assert data["weekly_frequency"] == 2
    assert [i["exercise_slug"] for i in data["items"]] == [
        "toe-spreading",
        "calf-stretch",
        "heel-raises",
    ]


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"sets": -1}, "sets"),
        ({"sets": 0}, "sets"),
        ({"reps": -5}, "reps"),
        ({"hold_seconds": 0}, "hold_seconds"),
        ({"days": [7]}, "days"),
        ({"sets": "many"}, "sets"),
    ],
)
def test_program_create_rejects_bad_dosage_naming_the_field(
    api_as, staff, client_user, catalog, item, field
):
    response = post_program(
        api_as(staff), client_user, [{"exercise": catalog["calf-stretch"].pk, **item}]
    )
    assert response.status_code == 400
    errors = response.json()["items"]
    first = errors["0"] if isinstance(errors, dict) else errors[0]
    assert field in first
    assert not Program.objects.exists()


def test_program_create_rejects_unknown_exercise_client_and_missing_title(
    api_as, staff, client_user, catalog
):
    api = api_as(staff)
    response = post_program(api, client_user, [{"exercise": 999999}])
    assert response.status_code == 400 and "exercise" in str(response.json()["items"])
    # A client that does not exist and one off the caller's care teams: the same 404.
    response = api.post("/api/programs/", {"client": 999999, "title": "X"}, format="json")
    assert response.status_code == 404 and response.json() == {"client": ["No such client."]}
    stranger = factories.ClientFactory()
    response = api.post("/api/programs/", {"client": stranger.pk, "title": "X"}, format="json")
    assert response.status_code == 404 and response.json() == {"client": ["No such client."]}
    assert not Program.objects.filter(client=stranger).exists()
    response = api.post("/api/programs/", {"client": client_user.client.pk}, format="json")
    assert response.status_code == 400 and "title" in response.json()
    response = api.generic("POST", "/api/programs/", "{oops", content_type="application/json")
    assert response.status_code == 400


def test_program_create_is_for_staff(api_as, client_user, catalog):
    response = post_program(
        api_as(client_user), client_user, [{"exercise": catalog["calf-stretch"].pk}]
    )
    assert response.status_code == 403
    assert not Program.objects.exists()


def test_a_new_active_program_completes_the_previous_one(make_program, client_user):
    first = make_program(client_user)
    second = make_program(client_user, title="Phase two")
    first.refresh_from_db()
    assert first.status == "completed"
    assert second.status == "active"


def test_client_sees_active_not_draft_programs(api_as, make_program, client_user):
    draft = make_program(client_user, status="draft")
    api = api_as(client_user)
    assert api.get(f"/api/programs/{draft.pk}/").status_code == 404
    assert api.get("/api/programs/").json()["count"] == 0
    active = make_program(client_user)
    assert api.get(f"/api/programs/{active.pk}/").status_code == 200
    assert [p["id"] for p in api.get("/api/programs/").json()["results"]] == [active.pk]


def test_editing_an_active_program_needs_a_reason(api_as, staff, make_program, client_user):
    program = make_program(client_user)
    response = api_as(staff).patch(
        f"/api/programs/{program.pk}/", {"title": "Renamed"}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    program.refresh_from_db()
    assert (program.title, program.version) == ("Feet and calves", 1)


def test_editing_an_active_program_records_a_version_the_client_sees(
    api_as, staff, make_program, client_user, catalog
):
    program = make_program(client_user)
    api = api_as(staff)
    items = api.get(f"/api/programs/{program.pk}/").json()["items"]
    calf = items[0]
    response = api.patch(
        f"/api/programs/{program.pk}/",
        {
            "reason": "Calves ready for more; toes moved to the end.",
            "items": [
                {"id": calf["id"], "exercise": calf["exercise"], "hold_seconds": 90},
                {"exercise": catalog["soleus-stretch"].pk},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["version"] == 2
    assert data["items"][0]["id"] == calf["id"]  # kept, not recreated
    versions = list(ProgramVersion.objects.filter(program=program).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].reason == "Calves ready for more; toes moved to the end."
    assert [i["exercise_name"] for i in versions[0].snapshot["items"]] == [
        "Calf stretch",
        "Toe spreading",
    ]
    mine = api_as(client_user).get(f"/api/programs/{program.pk}/").json()
    assert mine["version"] == 2
    assert [(i["exercise_slug"], i["hold_seconds"]) for i in mine["items"]] == [
        ("calf-stretch", 90),
        ("soleus-stretch", 45),
    ]
    history = api.get(f"/api/programs/{program.pk}/versions/").json()
    assert [v["number"] for v in history] == [2, 1]


def test_saving_an_unchanged_active_program_records_no_version(
    api_as, staff, make_program, client_user
):
    program = make_program(client_user)
    api = api_as(staff)
    items = api.get(f"/api/programs/{program.pk}/").json()["items"]
    same = [{k: i[k] for k in ("id", "exercise", "sets", "hold_seconds", "reps")} for i in items]
    response = api.patch(f"/api/programs/{program.pk}/", {"items": same}, format="json")
    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert ProgramVersion.objects.filter(program=program).count() == 1


def test_drafts_change_freely_and_publishing_starts_version_one(
    api_as, staff, make_program, client_user, catalog
):
    program = make_program(client_user, status="draft")
    api = api_as(staff)
    response = api.patch(
        f"/api/programs/{program.pk}/",
        {"items": [{"exercise": catalog["heel-raises"].pk}]},
        format="json",
    )
    assert response.status_code == 200 and response.json()["version"] == 0
    assert not ProgramVersion.objects.exists()
    published = api.post(f"/api/programs/{program.pk}/publish/", {}, format="json")
    assert published.status_code == 200
    assert (published.json()["status"], published.json()["version"]) == ("active", 1)
    again = api.post(f"/api/programs/{program.pk}/publish/", {}, format="json")
    assert again.status_code == 200 and again.json()["version"] == 1


def test_publishing_an_empty_draft_is_refused(api_as, staff, make_program, client_user):
    program = make_program(client_user, slugs=(), status="draft")
    response = api_as(staff).post(f"/api/programs/{program.pk}/publish/", {}, format="json")
    assert response.status_code == 400
    assert "items" in response.json()


def test_completed_programs_cannot_be_edited_or_republished(
    api_as, staff, make_program, client_user
):
    program = make_program(client_user)
    api = api_as(staff)
    assert api.post(f"/api/programs/{program.pk}/complete/").json()["status"] == "completed"
    response = api.patch(
        f"/api/programs/{program.pk}/", {"title": "Again", "reason": "x"}, format="json"
    )
    assert response.status_code == 409
    assert api.post(f"/api/programs/{program.pk}/publish/").status_code == 409
    assert api.post(f"/api/programs/{program.pk}/archive/").json()["status"] == "archived"
    assert api_as(client_user).get(f"/api/programs/{program.pk}/").status_code == 404


def test_staff_list_filters_by_client_and_status(api_as, staff, make_program, client_user):
    from tests import factories

    other = factories.ClientFactory().user
    make_program(client_user)
    make_program(other, status="draft")
    api = api_as(staff)
    assert api.get("/api/programs/").json()["count"] == 2
    only = api.get(f"/api/programs/?client={other.client.pk}").json()["results"]
    assert [p["client"] for p in only] == [other.client.pk]
    assert api.get("/api/programs/?status=draft").json()["count"] == 1


def test_templates_api_lists_items_for_staff_only(api_as, staff, client_user, template):
    rows = api_as(staff).get("/api/program-templates/").json()["results"]
    assert [i["exercise_name"] for i in rows[0]["items"]] == [
        "Toe spreading",
        "Calf stretch",
        "Heel raises with aligned feet",
    ]
    assert api_as(client_user).get("/api/program-templates/").status_code == 403


def test_bad_query_parameters_are_named_in_a_400(api_as, staff, make_program, client_user):
    api = api_as(staff)
    program = make_program(client_user)
    assert "status" in api.get("/api/programs/?status=paused").json()
    assert "position" in api.get("/api/exercises/?position=upside-down").json()
    assert "since" in api.get(f"/api/programs/{program.pk}/logs/?since=yesterday").json()


def test_program_api_takes_json_only(api_as, staff, client_user, catalog):
    response = api_as(staff).post(
        "/api/programs/", {"client": client_user.client.pk, "title": "Form post"}
    )
    assert response.status_code == 415


def test_huge_ids_are_client_errors_not_crashes(api_as, staff, client_user, make_program):
    api = api_as(staff)
    huge = 10**30
    program = make_program(client_user)
    assert api.get(f"/api/programs/{huge}/").status_code == 404
    assert api.get(f"/api/exercises/{huge}/").status_code == 404
    response = api.patch(
        f"/api/programs/{program.pk}/", {"items": [{"exercise": huge}]}, format="json"
    )
    assert response.status_code == 400
    response = api.post("/api/programs/", {"client": huge, "title": "X"}, format="json")
    assert response.status_code == 400


def test_huge_page_offsets_and_limits_answer_an_empty_page(
    api_as, staff, make_program, client_user
):
    make_program(client_user)
    api = api_as(staff)
    response = api.get(f"/api/programs/?offset={10**30}&limit={10**30}")
    assert response.status_code == 200
    assert response.json()["results"] == [] and response.json()["count"] == 1
    rows = api.get(f"/api/exercises/?limit={10**30}").json()["results"]
    assert len(rows) == 29  # the whole catalog: the limit is capped, not refused
