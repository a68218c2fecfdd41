"""Erasing a client scrubs the health text held in their programs (goal, title, cues, override
reasons, flagged conditions, version reasons and snapshots) but keeps the practice record, and
leaves the studio's templates alone."""

import json

import pytest
from django.apps import apps
from django.core import mail, serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from programs import services
from programs.models import (
    PracticeLog,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramVersion,
    TemplateItem,
)
from programs.practice import client_today, practice_log_record
from programs.privacy import programs_erase, scrub_snapshot
from tests import factories

pytestmark = pytest.mark.django_db

PHRASE = "bursitis in both knees"
PROGRAM_TABLES = {
    "programs.program",
    "programs.programitem",
    "programs.programversion",
    "programs.practicelog",
}


def tables_holding(text: str, models=None) -> set[str]:
    """Labels of the tables with a row whose serialized values contain `text` (any case)."""
    found = set()
    for model in models or apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        dumped = serializers.serialize("json", model._base_manager.all())
        if text.lower() in dumped.lower():
            found.add(model._meta.label_lower)
    return found


@pytest.fixture
def knee_program(knee_client, staff, catalog):
    """An active program full of health text: goal, a cue, a contraindicated exercise kept with
    a reason (flagged "knee-bursitis"), a second version with a reason, a practice log comment."""
    program = services.program_create(
        client=knee_client.client,
        by=staff,
        title="Knee care",
        goal=f"Ease the {PHRASE}, 6 months postpartum",
        items=[
            {"exercise": catalog["calf-stretch"], "cue": f"Go gently: {PHRASE}", "days": [0, 2]},
            {
                "exercise": catalog["standing-quad-stretch"],
                "override_reason": f"Physio cleared it despite the {PHRASE}",
                "reps": 6,
            },
        ],
    )
    services.program_update(
        program=program,
        by=staff,
        title=f"Knees ({PHRASE})",
        reason=f"Flare-up of the {PHRASE}",
        weekly_frequency=2,
    )
    practice_log_record(
        program=program,
        by=knee_client,
        date=client_today(knee_client.client),
        pain=4,
        difficulty=3,
        completed_items=[program.items.first().pk],
        comment=f"The {PHRASE} ached",
    )
    return program


def _erase(how: str, owner, client, api_as, django_client):
    if how == "api":
        path = f"/api/clients/{client.pk}/erase/"
        response = api_as(owner).post(path, {"confirm": True}, format="json")
        assert response.status_code == 200, response.content
    else:
        django_client.force_login(owner)
        response = django_client.post(f"/accounts/clients/{client.pk}/erase/", {"confirm": "ERASE"})
        assert response.status_code == 302
        assert response.url == f"/accounts/clients/{client.pk}/"


@pytest.mark.parametrize("how", ["api", "page"])
def test_client_erase_leaves_the_health_phrase_nowhere(
    how, api_as, client, owner_user, staff, knee_client, knee_program, make_program
):
    profile = knee_client.client
    profile.goals = f"Live without the {PHRASE}"
    profile.save()
    factories.BookingFactory(client=profile, notes=f"Mentioned the {PHRASE}")
    make_program(knee_client, status="draft", title=f"Next: {PHRASE}")
    assert tables_holding(PHRASE) >= PROGRAM_TABLES | {"accounts.clientprofile"}  # it can find it
    assert tables_holding("knee-bursitis", [ProgramItem, ProgramVersion])

    _erase(how, owner_user, profile, api_as, client)

    assert tables_holding(PHRASE) == set()
    assert tables_holding("knee-bursitis", [ProgramItem, ProgramVersion]) == set()
    assert AuditEvent.objects.filter(
        client=profile, actor=owner_user, action=AuditEvent.Action.ERASED
    ).exists()
    assert not [m for m in mail.outbox if PHRASE in f"{m.subject} {m.body}"]

    export = api_as(owner_user).get(f"/api/clients/{profile.pk}/export/")
    assert export.status_code == 200
    assert PHRASE not in export.content.decode().lower()
    kept = export.json()["programs"]
    assert [p["title"] for p in kept] == ["Program 1", "Program 2"]
    assert [(i["exercise"], i["reps"]) for i in kept[0]["items"]] == [
        ("Calf stretch", knee_program.items.first().reps),
        ("Standing quad stretch", 6),
    ]
    assert [v["number"] for v in kept[0]["versions"]] == [2, 1]
    assert (kept[0]["logs"][0]["pain"], kept[0]["logs"][0]["done_count"]) == (4, 1)

    specialist = api_as(staff)
    client.force_login(staff)
    pk = knee_program.pk
    for path in [
        f"/programs/{pk}/",
        f"/programs/{pk}/print/",
        "/programs/?all=1",
        f"/accounts/clients/{profile.pk}/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert PHRASE not in response.content.decode().lower(), path
    for path in [
        f"/api/programs/{pk}/",
        f"/api/programs/{pk}/versions/",
        f"/api/programs/{pk}/logs/",
    ]:
        response = specialist.get(path)
        assert response.status_code == 200, path
        assert PHRASE not in response.content.decode().lower(), path
    assert specialist.get(f"/api/programs/{pk}/").json()["title"] == "Program 1"


def test_programs_erase_keeps_the_practice_record_and_is_idempotent(
    knee_client, knee_program, catalog
):
    before_items = list(
        knee_program.items.values_list("exercise_id", "position", "sets", "reps", "days")
    )
    first = programs_erase(client=knee_client.client)
    second = programs_erase(client=knee_client.client)

    assert first == {"programs": 1, "items": 2, "versions": 2, "logs": 1}
    assert second == {"programs": 0, "items": 0, "versions": 0, "logs": 0}
    program = Program.objects.get(pk=knee_program.pk)
    assert (program.title, program.goal) == ("Program 1", "")
    assert (program.status, program.version, program.weekly_frequency) == ("active", 2, 2)
    items = list(program.items.all())
    assert [(i.cue, i.override_reason, i.flagged_conditions) for i in items] == [("", "", [])] * 2
    assert all(i.override_by is None and i.override_at is None for i in items)
    assert [
        (i.exercise_id, i.position, i.sets, i.reps, i.days) for i in items
    ] == before_items  # what was prescribed stays
    versions = list(program.versions.order_by("number"))
    assert [v.reason for v in versions] == ["Erased.", "Erased."]
    latest = versions[-1].snapshot
    assert latest["erased"] is True and (latest["title"], latest["goal"]) == ("Program 1", "")
    assert latest["weekly_frequency"] == 2 and latest["start_date"] == str(program.start_date)
    assert [(i["exercise"], i["exercise_name"], i["reps"], i["days"]) for i in latest["items"]] == [
        (catalog["calf-stretch"].pk, "Calf stretch", items[0].reps, [0, 2]),
        (catalog["standing-quad-stretch"].pk, "Standing quad stretch", 6, []),
    ]
    assert {(i["cue"], i["override_reason"]) for i in latest["items"]} == {("", "")}
    log = PracticeLog.objects.get(program=program)
    assert (log.comment, log.pain, log.difficulty, log.done_count) == ("", 4, 3, 1)
    assert list(log.completed_items.values_list("pk", flat=True)) == [items[0].pk]


def test_programs_erase_leaves_templates_their_text(knee_client, staff, catalog):
    template = ProgramTemplate.objects.create(
        title="Postnatal knees", slug="postnatal-knees", goal="Strong knees after birth."
    )
    TemplateItem.objects.create(
        template=template, exercise=catalog["calf-stretch"], cue="Soft knees, long spine."
    )
    program = services.program_create(client=knee_client.client, by=staff, template=template)
    assert (program.title, program.items.get().cue) == (
        "Postnatal knees",
        "Soft knees, long spine.",
    )

    programs_erase(client=knee_client.client)

    program.refresh_from_db()
    assert (program.title, program.goal, program.template_id) == ("Program 1", "", None)
    assert program.items.get().cue == ""
    template.refresh_from_db()
    assert (template.title, template.goal) == ("Postnatal knees", "Strong knees after birth.")
    assert template.items.get().cue == "Soft knees, long spine."


def test_scrubbed_program_still_renders_for_its_client(client, knee_client, knee_program):
    programs_erase(client=knee_client.client)  # the scrub alone: the client can still log in
    client.force_login(knee_client)

    for path in ["/portal/program/", f"/portal/program/{knee_program.pk}/print/", "/portal/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Program 1" in response.content.decode(), path
        assert PHRASE not in response.content.decode().lower(), path


def test_scrub_snapshot_keeps_only_allow_listed_keys():
    snapshot = {
        "title": "Knees",
        "goal": PHRASE,
        "notes": PHRASE,
        "start_date": "2026-01-05",
        "weekly_frequency": 3,
        "items": [{"id": 7, "exercise": 3, "sets": 2, "cue": PHRASE, "extra": PHRASE}, "odd"],
    }

    scrubbed = scrub_snapshot(snapshot, title="Program 2")

    assert PHRASE not in json.dumps(scrubbed)
    assert scrubbed == {
        "erased": True,
        "title": "Program 2",
        "goal": "",
        "start_date": "2026-01-05",
        "weekly_frequency": 3,
        "items": [
            {"id": 7, "exercise": 3, "sets": 2, "cue": "", "flagged_conditions": [],
             "override_reason": ""},
        ],
    }  # fmt: skip
    assert scrub_snapshot(PHRASE, title="Program 1") == {"erased": True}
    assert scrub_snapshot({"goal": PHRASE}, title="Program 1") == {"erased": True}


def test_programs_erase_runs_in_constant_queries(knee_client, knee_program, make_program):
    other = factories.ClientFactory().user
    make_program(other, title="One")
    with CaptureQueriesContext(connection) as small:
        programs_erase(client=other.client)
    for n in range(3):
        make_program(knee_client, title=f"Extra {n}")  # each completes the previous one
    with CaptureQueriesContext(connection) as large:
        counts = programs_erase(client=knee_client.client)

    assert counts["programs"] == 4 and counts["versions"] == 5
    assert len(large.captured_queries) == len(small.captured_queries)


def test_an_erased_clients_program_cannot_be_edited_back_into_health_text(
    knee_client, knee_program, staff, api_as, owner_user
):
    _erase("api", owner_user, knee_client.client, api_as, None)
    response = api_as(staff).patch(
        f"/api/programs/{knee_program.pk}/",
        {"goal": f"Back to the {PHRASE}", "reason": "typo"},
        format="json",
    )
    assert response.status_code == 409, response.content
    assert "erased" in response.json()["detail"]
    knee_program.refresh_from_db()
    assert PHRASE not in knee_program.goal


def test_an_erased_clients_draft_cannot_be_published_with_a_new_reason(
    knee_client, staff, catalog, api_as, owner_user
):
    draft = services.program_create(
        client=knee_client.client,
        by=staff,
        title="Later",
        status="draft",
        items=[{"exercise": catalog["calf-stretch"]}],
    )
    _erase("api", owner_user, knee_client.client, api_as, None)
    response = api_as(staff).post(
        f"/api/programs/{draft.pk}/publish/", {"reason": f"For the {PHRASE}"}, format="json"
    )
    assert response.status_code == 409, response.content
    assert not ProgramVersion.objects.filter(program=draft, reason__icontains=PHRASE).exists()
