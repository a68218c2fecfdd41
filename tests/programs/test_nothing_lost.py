"""Issue 19, the builder and the practice log pages: nothing a specialist or client does is lost
or left unsaid."""

import pytest

from programs import practice
from programs.models import PracticeLog
from tests.programs.test_pages import builder_post, rows_of

pytestmark = pytest.mark.django_db


def test_publishing_names_the_exercises_held_back_from_the_client(
    client, staff, knee_client, make_program
):
    program = make_program(
        knee_client, slugs=("standing-quad-stretch", "calf-stretch"), status="draft"
    )
    client.force_login(staff)
    page = client.get(f"/programs/{program.pk}/").content.decode()
    assert 'id="held-back-note"' in page and "Standing quad stretch" in page
    response = client.post(
        f"/programs/{program.pk}/",
        builder_post(program, rows_of(program), action="publish"),
        follow=True,
    )
    html = response.content.decode()
    first = knee_client.first_name
    assert "Published" in html
    assert (
        f"Held back from {first} until you give a reason to keep it: Standing quad stretch." in html
    )


def test_publishing_without_contraindications_says_nothing_is_held_back(
    client, staff, client_user, make_program
):
    program = make_program(client_user, status="draft")
    client.force_login(staff)
    response = client.post(
        f"/programs/{program.pk}/",
        builder_post(program, rows_of(program), action="publish"),
        follow=True,
    )
    assert "Held back" not in response.content.decode()


def post_log(client, program, **data):
    return client.post(f"/portal/program/{program.pk}/log/", data, follow=True)


def test_portal_log_shows_todays_log_and_adds_to_it(client, make_program, client_user):
    """The issue's day: 3 of 5 with pain 2, then one more in the evening, no score."""
    program = make_program(
        client_user, slugs=("calf-stretch", "toe-spreading", "heel-raises", "soleus-stretch")
    )
    items = [str(i.pk) for i in program.items.all()]
    day = practice.client_today(client_user.client).isoformat()
    client.force_login(client_user)
    post_log(client, program, date=day, completed_items=items[:3], pain="2")
    page = client.get("/portal/program/").content.decode()
    assert "Already logged today:" in page and "3 of 4 exercises · pain 2" in page
    assert "Add to today's log" in page and "· logged" in page
    response = post_log(client, program, date=day, completed_items=items[3:])
    assert "Added to your practice" in response.content.decode()
    log = PracticeLog.objects.get()
    assert (log.pain, log.done_count, log.adherence) == (2, 4, 100)


def test_portal_log_edits_the_day_only_when_asked(client, make_program, client_user):
    program = make_program(client_user)
    items = [str(i.pk) for i in program.items.all()]
    day = practice.client_today(client_user.client).isoformat()
    client.force_login(client_user)
    post_log(client, program, date=day, completed_items=items, pain="5")
    page = client.get(f"/portal/program/{program.pk}/?edit=today").content.decode()
    assert 'name="mode" value="edit"' in page and "Save changes to the day" in page
    response = post_log(client, program, mode="edit", date=day, completed_items=items[:1])
    assert "Updated your practice" in response.content.decode()
    log = PracticeLog.objects.get()
    assert (log.pain, log.done_count) == (None, 1)


def test_portal_log_refuses_an_empty_entry_with_a_message(client, make_program, client_user):
    program = make_program(client_user)
    client.force_login(client_user)
    day = practice.client_today(client_user.client).isoformat()
    response = post_log(client, program, date=day, comment=" ")
    assert practice.EMPTY_LOG in response.content.decode()
    assert not PracticeLog.objects.exists()


def test_portal_log_a_different_pain_score_asks_for_an_edit(client, make_program, client_user):
    program = make_program(client_user)
    client.force_login(client_user)
    day = practice.client_today(client_user.client).isoformat()
    post_log(client, program, date=day, pain="2")
    response = post_log(client, program, date=day, pain="6")
    assert "Pain 2 is already logged for that day; edit the day" in response.content.decode()
    assert PracticeLog.objects.get().pain == 2
