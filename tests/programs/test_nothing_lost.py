"""Issue 19, the builder and the practice log pages: nothing a specialist or client does is lost
or left unsaid."""

import pytest

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
