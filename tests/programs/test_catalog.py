import pytest

from programs import demo_catalog
from programs.models import Exercise

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_demo_catalog_builds_every_exercise_with_its_links(catalog):
    assert Exercise.objects.count() == len(demo_catalog.EXERCISES) >= 20
    calf = catalog["calf-stretch"]
    assert list(calf.progressions.values_list("slug", flat=True)) == ["double-calf-stretch"]
    assert list(catalog["double-calf-stretch"].regressions.values_list("slug", flat=True)) == [
        "calf-stretch"
    ]
    assert set(calf.contraindications.values_list("slug", flat=True)) == {"achilles-tendinopathy"}


def test_exercise_search_matches_words_in_name_and_summary(api_as, staff, catalog):
    api = api_as(staff)
    assert slugs(api.get("/api/exercises/?search=calf")) == [
        "calf-stretch",
        "double-calf-stretch",
        "soleus-stretch",
    ]
    # "foam roller" appears only in summaries
    assert "calf-stretch" in slugs(api.get("/api/exercises/?search=foam roller"))
    assert slugs(api.get("/api/exercises/?search=nothing-like-this")) == []


def test_exercise_filters_by_region_and_equipment_together(api_as, staff, catalog):
    api = api_as(staff)
    by_region = slugs(api.get("/api/exercises/?region=hamstrings"))
    assert "supine-hamstring-stretch-with-strap" in by_region and "chair-squat" in by_region
    assert all("hamstrings" in catalog[s].regions.values_list("slug", flat=True) for s in by_region)
    assert slugs(api.get("/api/exercises/?region=hamstrings&equipment=strap")) == [
        "supine-hamstring-stretch-with-strap"
    ]
    assert slugs(api.get("/api/exercises/?region=no-such-region")) == []


def test_exercise_list_rows_have_the_contract_fields(api_as, client_user, catalog):
    row = api_as(client_user).get("/api/exercises/").json()["results"][0]
    assert {"id", "slug", "name", "regions"} <= set(row)
    assert isinstance(row["regions"], list) and row["regions"]


def test_exercise_detail_has_ordered_cues_dosage_and_contraindications(api_as, staff, catalog):
    lutw = catalog["legs-up-the-wall-inner-thigh-stretch"]
    data = api_as(staff).get(f"/api/exercises/{lutw.pk}/").json()
    source = next(e for e in demo_catalog.EXERCISES if e["slug"] == lutw.slug)
    assert data["cues"] == source["cues"]  # order kept
    assert "Keep your pelvis neutral, neither arched nor tucked" in data["cues"]
    assert data["instructions"] == source["instructions"]
    assert (data["sets"], data["hold_seconds"], data["per_side"]) == (1, 120, False)
    assert {c["slug"] for c in data["contraindications"]} == {
        "glaucoma",
        "pregnancy",
        "recent-surgery",
    }


def test_exercise_api_needs_login_and_answers_404_as_json(api, api_as, staff, catalog):
    assert api.get("/api/exercises/").status_code == 401
    response = api_as(staff).get("/api/exercises/999999/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_inactive_exercises_leave_the_api_catalog(api_as, staff, catalog):
    Exercise.objects.filter(slug="calf-stretch").update(is_active=False)
    assert "calf-stretch" not in slugs(api_as(staff).get("/api/exercises/?search=calf"))


def test_catalog_page_filters_and_answers_htmx_with_the_cards_only(client, staff, catalog):
    client.force_login(staff)
    page = client.get("/programs/exercises/?region=neck")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chin tuck (lying)" in html and "Calf stretch" not in html
    partial = client.get("/programs/exercises/?search=clam", HTTP_HX_REQUEST="true")
    assert "Side-lying clam" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_catalog_pages_are_for_staff(client, client_user, catalog):
    client.force_login(client_user)
    assert client.get("/programs/exercises/").status_code == 403
    assert client.get("/programs/exercises/calf-stretch/").status_code == 403


def test_exercise_page_shows_contraindications_and_links(client, staff, catalog):
    client.force_login(staff)
    html = client.get("/programs/exercises/calf-stretch/").content.decode()
    assert "Achilles tendinopathy" in html
    assert "/programs/exercises/double-calf-stretch/" in html
    assert client.get("/programs/exercises/no-such-thing/").status_code == 404


def test_exercise_editor_creates_an_exercise_with_lists_and_links(client, staff, catalog):
    client.force_login(staff)
    response = client.post(
        "/programs/exercises/new/",
        {
            "name": "Wall sit breathing",
            "slug": "wall-sit-breathing",
            "summary": "Breathing with the back on the wall.",
            "instructions": "Stand with your back to the wall.\n\nBreathe into the back ribs.\n",
            "cues": "Ribs down\nSoft knees",
            "position": "standing",
            "difficulty": "1",
            "regions": [r.pk for r in catalog["rib-cage-breathing"].regions.all()],
            "sets": "1",
            "breaths": "10",
            "contraindications": [c.pk for c in catalog["calf-stretch"].contraindications.all()],
            "progressions": [catalog["wall-angels"].pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="wall-sit-breathing")
    assert exercise.instructions == [
        "Stand with your back to the wall.",
        "Breathe into the back ribs.",
    ]
    assert exercise.cues == ["Ribs down", "Soft knees"]
    assert list(exercise.progressions.all()) == [catalog["wall-angels"]]
    assert exercise.contraindications.filter(slug="achilles-tendinopathy").exists()


def test_exercise_editor_requires_reps_hold_or_breaths(client, staff, catalog):
    client.force_login(staff)
    response = client.post(
        "/programs/exercises/calf-stretch/edit/",
        {
            "name": "Calf stretch",
            "slug": "calf-stretch",
            "instructions": "Step on the roll.",
            "position": "standing",
            "difficulty": "1",
            "sets": "1",
        },
    )
    assert response.status_code == 200
    assert "Give reps, a hold time or a number of breaths." in response.content.decode()
    assert Exercise.objects.get(slug="calf-stretch").hold_seconds == 60
