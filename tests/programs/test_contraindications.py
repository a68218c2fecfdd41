import pytest

from accounts.models import Condition
from programs.models import ProgramItem

pytestmark = pytest.mark.django_db


def create(api, user, items):
    response = api.post(
        "/api/programs/",
        {"client": user.client.pk, "title": "Hips", "items": items},
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_contraindicated_exercise_returns_a_warning_naming_the_condition(
    api_as, staff, knee_client, catalog
):
    quad = catalog["standing-quad-stretch"]
    data = create(
        api_as(staff),
        knee_client,
        [{"exercise": catalog["calf-stretch"].pk}, {"exercise": quad.pk}],
    )
    assert len(data["warnings"]) == 1
    warning = data["warnings"][0]
    assert warning["exercise"] == quad.pk and warning["item"] == data["items"][1]["id"]
    assert [c["slug"] for c in warning["conditions"]] == ["knee-bursitis"]
    assert warning["reason"] is None


def test_without_a_reason_the_item_is_held_back_from_the_client(
    api_as, staff, knee_client, catalog
):
    data = create(
        api_as(staff),
        knee_client,
        [
            {"exercise": catalog["calf-stretch"].pk},
            {"exercise": catalog["standing-quad-stretch"].pk},
        ],
    )
    mine = api_as(knee_client).get(f"/api/programs/{data['id']}/").json()
    assert [i["exercise_slug"] for i in mine["items"]] == ["calf-stretch"]
    assert mine["warnings"] == []  # staff notes stay with staff


def test_keeping_it_with_a_reason_stores_the_reason_and_reaches_the_client(
    api_as, staff, knee_client, catalog
):
    api = api_as(staff)
    data = create(api, knee_client, [{"exercise": catalog["standing-quad-stretch"].pk}])
    item = data["items"][0]
    response = api.patch(
        f"/api/programs/{data['id']}/",
        {
            "reason": "Quad stretch cleared by her physio.",
            "items": [
                {
                    "id": item["id"],
                    "exercise": item["exercise"],
                    "override_reason": "Physio cleared it; strap, small range.",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["warnings"][0]["reason"] == "Physio cleared it; strap, small range."
    stored = ProgramItem.objects.get(pk=item["id"])
    assert stored.override_reason == "Physio cleared it; strap, small range."
    assert stored.flagged_conditions == ["knee-bursitis"]
    assert stored.override_by == staff and stored.override_at is not None
    mine = api_as(knee_client).get(f"/api/programs/{data['id']}/").json()
    assert [i["exercise_slug"] for i in mine["items"]] == ["standing-quad-stretch"]


def test_a_stored_reason_survives_later_edits(api_as, staff, knee_client, catalog):
    api = api_as(staff)
    data = create(
        api,
        knee_client,
        [{"exercise": catalog["standing-quad-stretch"].pk, "override_reason": "Physio says fine."}],
    )
    item = data["items"][0]
    response = api.patch(
        f"/api/programs/{data['id']}/",
        {"reason": "Longer hold.", "items": [{**item, "hold_seconds": 60}]},
        format="json",
    )
    assert response.status_code == 200
    assert ProgramItem.objects.get(pk=item["id"]).override_reason == "Physio says fine."


def test_a_red_flag_naming_a_condition_warns_too(api_as, staff, client_user, catalog):
    client_user.client.red_flags = [
        {"question": "Dizziness or loss of balance?", "condition": "vertigo"},
        "Chest pain during activity",
    ]
    client_user.client.save()
    data = create(
        api_as(staff),
        client_user,
        [{"exercise": catalog["pelvic-list"].pk}, {"exercise": catalog["toe-spreading"].pk}],
    )
    assert [
        (w["exercise_name"], [c["slug"] for c in w["conditions"]]) for w in data["warnings"]
    ] == [("Pelvic list", ["vertigo"])]


def test_a_condition_added_later_shows_as_a_warning_on_the_program(
    api_as, staff, make_program, client_user, catalog
):
    program = make_program(client_user, slugs=("calf-stretch",))
    client_user.client.conditions.add(Condition.objects.get(slug="achilles-tendinopathy"))
    data = api_as(staff).get(f"/api/programs/{program.pk}/").json()
    assert [c["slug"] for c in data["warnings"][0]["conditions"]] == ["achilles-tendinopathy"]


def test_builder_shows_the_warning_and_asks_for_a_reason(
    client, staff, knee_client, make_program, catalog
):
    program = make_program(knee_client, status="draft")
    client.force_login(staff)
    row = client.get(
        f"/programs/{program.pk}/row/?exercise={catalog['standing-quad-stretch'].pk}"
    ).content.decode()
    assert "Contraindicated" in row and "Knee bursitis" in row
    assert "override_reason" in row and "required" in row
    safe = client.get(f"/programs/{program.pk}/row/?exercise={catalog['toe-spreading'].pk}")
    assert "Contraindicated" not in safe.content.decode()
    results = client.get(f"/programs/{program.pk}/search/?q=quad").content.decode()
    assert "Contraindicated: Knee bursitis" in results
