"""A client's export includes their programs; erasure blanks their practice log comments."""

from programs.models import PracticeLog
from programs.practice import client_today, practice_log_record
from tests import factories


def test_client_export_and_erase_cover_programs(api_as, client_user, make_program):
    program = make_program(client_user, goal="Walk the dog again")
    log, _ = practice_log_record(
        program=program,
        by=client_user,
        date=client_today(client_user.client),  # the client's day, not the server's
        pain=3,
        completed_items=[program.items.first().pk],
        comment="Left knee ached on the stairs",
    )
    make_program(factories.ClientFactory().user, title="Someone else's")
    owner = factories.owner(email="boss@example.org")

    data = api_as(owner).get(f"/api/clients/{client_user.client.pk}/export/").json()

    assert [p["title"] for p in data["programs"]] == ["Feet and calves"]
    exported = data["programs"][0]
    assert exported["goal"] == "Walk the dog again"
    assert [i["exercise"] for i in exported["items"]] == [
        i.exercise.name for i in program.items.order_by("position")
    ]
    assert exported["logs"][0]["comment"] == "Left knee ached on the stairs"
    assert exported["logs"][0]["pain"] == 3

    response = api_as(owner).post(
        f"/api/clients/{client_user.client.pk}/erase/", {"confirm": True}, format="json"
    )

    assert response.status_code == 200
    log = PracticeLog.objects.get(pk=log.pk)
    assert log.comment == "" and log.pain == 3  # the words go; the record of practice stays
