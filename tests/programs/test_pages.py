"""The staff builder and the client's program pages, through the forms a browser posts."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from accounts.models import AuditEvent, User
from programs import practice
from programs.models import PracticeLog, Program, ProgramTemplate, ProgramVersion

pytestmark = pytest.mark.django_db


def builder_post(program, rows, action="save", **details):
    """Form data as the builder page posts it: one `row` per item, in page order."""
    data = {
        "title": program.title,
        "goal": program.goal,
        "start_date": "",
        "weekly_frequency": str(program.weekly_frequency),
        "action": action,
        "row": [],
        **details,
    }
    for key, fields in rows:
        data["row"].append(key)
        for name, value in fields.items():
            data[f"{key}-{name}"] = value
    return data


def rows_of(program):
    return [
        (f"i{item.pk}", {"id": item.pk, "exercise": item.exercise_id, "sets": item.sets})
        for item in program.items.all()
    ]


def test_new_program_from_a_template_opens_the_builder(client, staff, client_user, template):
    client.force_login(staff)
    response = client.post(
        "/programs/new/", {"client": client_user.client.pk, "template": template.pk}
    )
    program = Program.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/programs/{program.pk}/"
    assert (program.status, program.title, program.items.count()) == ("draft", "Feet first", 3)
    html = client.get(response["Location"]).content.decode()
    assert "Toe spreading" in html and "Publish to" in html
    assert AuditEvent.objects.filter(client=client_user.client, action="viewed").exists()


def test_builder_saves_reordered_items_and_publishes(
    client, staff, make_program, client_user, catalog
):
    program = make_program(client_user, slugs=("calf-stretch", "toe-spreading"), status="draft")
    client.force_login(staff)
    calf, toes = rows_of(program)
    new = ("nabc123", {"exercise": catalog["heel-raises"].pk, "reps": "15", "days": ["0", "3"]})
    toes[1]["cue"] = "Lift, spread, place."
    response = client.post(
        f"/programs/{program.pk}/",
        builder_post(program, [toes, new, calf], action="publish"),
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == "active" and program.version == 1
    items = list(program.items.all())
    assert [i.exercise.slug for i in items] == ["toe-spreading", "heel-raises", "calf-stretch"]
    assert items[0].cue == "Lift, spread, place."
    assert (items[1].reps, items[1].days) == (15, [0, 3])
    assert items[0].pk == toes[1]["id"]


def test_builder_change_to_an_active_program_needs_a_reason(
    client, staff, make_program, client_user
):
    program = make_program(client_user)
    client.force_login(staff)
    rows = rows_of(program)[::-1]
    response = client.post(f"/programs/{program.pk}/", builder_post(program, rows))
    assert response.status_code == 200
    assert "Say why this active program changed." in response.content.decode()
    assert ProgramVersion.objects.filter(program=program).count() == 1
    response = client.post(
        f"/programs/{program.pk}/", builder_post(program, rows, reason="Toes first now.")
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.version == 2
    assert program.versions.first().reason == "Toes first now."
    assert program.items.first().exercise.slug == "toe-spreading"


def test_builder_shows_dosage_errors_on_the_row_and_keeps_the_input(
    client, staff, make_program, client_user
):
    program = make_program(client_user, status="draft")
    client.force_login(staff)
    rows = rows_of(program)
    rows[0][1]["sets"] = "-2"
    rows[1][1]["cue"] = "Keep this cue"
    response = client.post(f"/programs/{program.pk}/", builder_post(program, rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check the highlighted exercises." in html and "greater than or equal to 1" in html
    assert 'value="Keep this cue"' in html
    assert program.items.first().sets == 1


def test_builder_status_buttons_and_save_as_template(client, staff, make_program, client_user):
    program = make_program(client_user)
    client.force_login(staff)
    client.post(f"/programs/{program.pk}/save-template/", {"title": "Calves for everyone"})
    template = ProgramTemplate.objects.get(title="Calves for everyone")
    assert [i.exercise.slug for i in template.items.all()] == ["calf-stretch", "toe-spreading"]
    client.post(f"/programs/{program.pk}/status/", {"status": "completed"})
    program.refresh_from_db()
    assert program.status == "completed"
    response = client.post(f"/programs/{program.pk}/status/", {"status": "active"}, follow=True)
    assert "cannot be published" in response.content.decode()


def test_program_list_page_flags_items_awaiting_a_reason(client, staff, knee_client, make_program):
    make_program(knee_client, slugs=("standing-quad-stretch", "calf-stretch"))
    client.force_login(staff)
    html = client.get("/programs/?all=1").content.decode()
    assert "Feet and calves" in html and "1 needs a reason" in html


def test_portal_shows_the_current_version_with_a_hold_timer(
    client, staff, api_as, make_program, client_user, catalog
):
    program = make_program(client_user)
    api_as(staff).patch(
        f"/api/programs/{program.pk}/",
        {
            "reason": "Added the soleus stretch.",
            "items": [{"exercise": catalog["soleus-stretch"].pk}],
        },
        format="json",
    )
    client.force_login(client_user)
    html = client.get("/portal/program/").content.decode()
    assert "version 2" in html and "Added the soleus stretch." in html
    assert "Soleus stretch" in html and "Calf stretch" not in html
    assert 'data-timer data-seconds="45" data-per-side="true"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_portal_log_form_records_the_day_and_returns_to_the_page(client, make_program, client_user):
    program = make_program(client_user)
    client.force_login(client_user)
    day = practice.client_today(client_user.client)
    items = [str(i.pk) for i in program.items.all()]
    response = client.post(
        f"/portal/program/{program.pk}/log/",
        {"date": day.isoformat(), "completed_items": items[:1], "pain": "4", "difficulty": "3"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/portal/program/"
    entry = PracticeLog.objects.get()
    assert (entry.pain, entry.done_count, entry.date) == (4, 1, day)
    assert "Logged your practice" in response.content.decode()
    assert day.isoformat() in response.content.decode()  # in the chart data


def test_portal_log_form_shows_errors(client, make_program, client_user):
    program = make_program(client_user)
    client.force_login(client_user)
    future = practice.client_today(client_user.client) + timedelta(days=2)
    response = client.post(f"/portal/program/{program.pk}/log/", {"date": future.isoformat()})
    assert response.status_code == 200
    assert "That day has not happened yet." in response.content.decode()
    assert not PracticeLog.objects.exists()


def test_portal_without_a_program_says_so(client, client_user):
    client.force_login(client_user)
    response = client.get("/portal/program/")
    assert "has not given you a program yet" in response.content.decode()


def test_print_page_has_print_styles_and_every_visible_exercise(client, knee_client, make_program):
    program = make_program(knee_client, slugs=("calf-stretch", "standing-quad-stretch"))
    client.force_login(knee_client)
    html = client.get(f"/portal/program/{program.pk}/print/").content.decode()
    assert "programs/programs.css" in html and "programs/print.js" in html
    assert "Calf stretch" in html and "Standing quad stretch" not in html  # held back
    assert "Tick off your week" in html


def test_dashboard_panels(client, staff, make_program, client_user):
    program = make_program(client_user)
    program.specialist = staff.specialist
    program.save()
    client.force_login(staff)
    html = client.get("/workspace/").content.decode()
    assert "My clients&#x27; programs" in html and program.title in html
    client.force_login(client_user)
    html = client.get("/portal/").content.decode()
    assert "My program" in html and "Practice log" in html and program.title in html


def test_seed_demo_builds_the_programs_part_once(db, settings):
    settings.DEMO_PASSWORD = "tonic-demo-2026"
    call_command("seed_demo", "--force", verbosity=0)
    call_command("seed_demo", "--force", verbosity=0)
    hannah = User.objects.get(email="client@example.com").client
    program = Program.objects.get(client=hannah)
    assert program.status == "active" and program.specialist.user.email == "sydney@example.com"
    assert program.logs.count() >= 5
    assert (
        ProgramTemplate.objects.filter(
            title__in=["Feet to pelvic floor basics", "Knee-friendly hips and hamstrings"]
        ).count()
        == 2
    )
    assert program.items.count() >= 4
