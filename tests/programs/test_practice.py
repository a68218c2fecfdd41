from datetime import UTC, date, datetime, timedelta

import pytest

from programs import practice
from programs.models import PracticeLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(make_program, client_user):
    return make_program(
        client_user,
        slugs=("calf-stretch", "toe-spreading", "heel-raises"),
        start_date=date.today() - timedelta(days=30),
    )


def log(api, program, **data):
    return api.post(f"/api/programs/{program.pk}/logs/", data, format="json")


def today(user) -> str:
    return practice.client_today(user.client).isoformat()


def test_client_logs_a_practice_day(api_as, client_user, program):
    items = [i.pk for i in program.items.all()]
    response = log(
        api_as(client_user),
        program,
        date=today(client_user),
        pain=3,
        difficulty=4,
        completed_items=items[:2],
        comment="Calves tight.",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["pain"], data["difficulty"], data["comment"]) == (3, 4, "Calves tight.")
    assert sorted(data["completed_items"]) == sorted(items[:2])
    stored = PracticeLog.objects.get()
    assert stored.program_version == 1 and stored.done_count == 2


def test_a_second_log_for_the_same_day_adds_to_it(api_as, client_user, program):
    """The issue's evening: 3 of 5 done with pain 2, then one more with no score."""
    api = api_as(client_user)
    items = [i.pk for i in program.items.all()]
    first = log(api, program, date=today(client_user), pain=2, completed_items=items[:2])
    assert first.status_code == 201
    again = log(api, program, date=today(client_user), completed_items=items[2:], comment="Eve.")
    assert again.status_code == 200, again.content
    stored = PracticeLog.objects.get()
    assert stored.pain == 2 and stored.comment == "Eve."
    assert sorted(again.json()["completed_items"]) == sorted(items)
    assert stored.done_count == 3


def test_a_different_score_for_a_logged_day_is_a_conflict(api_as, client_user, program):
    api = api_as(client_user)
    assert log(api, program, date=today(client_user), pain=5, comment="a").status_code == 201
    again = log(api, program, date=today(client_user), pain=2, comment="b")
    assert again.status_code == 409 and "pain" in again.json()
    stored = PracticeLog.objects.get()
    assert (stored.pain, stored.comment) == (5, "a")


def test_an_empty_log_is_refused(api_as, client_user, program):
    response = log(api_as(client_user), program, date=today(client_user), comment="  ")
    assert response.status_code == 400
    assert response.json()["detail"] == practice.EMPTY_LOG
    assert not PracticeLog.objects.exists()


def test_editing_a_day_replaces_it_explicitly(api_as, client_user, program):
    api = api_as(client_user)
    items = [i.pk for i in program.items.all()]
    log(api, program, date=today(client_user), pain=5, completed_items=items)
    url = f"/api/programs/{program.pk}/logs/{today(client_user)}/"
    response = api.put(url, {"pain": 2, "completed_items": items[:1]}, format="json")
    assert response.status_code == 200, response.content
    stored = PracticeLog.objects.get()
    assert (stored.pain, stored.done_count) == (2, 1)
    assert api.put(url, {}, format="json").status_code == 400  # may not empty the day
    other = f"/api/programs/{program.pk}/logs/{program.start_date}/"
    assert api.put(other, {"pain": 1}, format="json").status_code == 404
    bad = api.put(f"/api/programs/{program.pk}/logs/nope/", {"pain": 1}, format="json")
    assert bad.status_code == 400 and "date" in bad.json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"pain": 11}, "pain"),
        ({"pain": -1}, "pain"),
        ({"difficulty": 0}, "difficulty"),
        ({"difficulty": 11}, "difficulty"),
        ({"completed_items": [999999]}, "completed_items"),
        ({"date": "not-a-date"}, "date"),
    ],
)
def test_log_rejects_out_of_range_values_naming_the_field(
    api_as, client_user, program, data, field
):
    response = log(api_as(client_user), program, **{"date": today(client_user), **data})
    assert response.status_code == 400
    assert field in response.json()
    assert not PracticeLog.objects.exists()


def test_log_rejects_future_days_and_days_before_the_start(api_as, client_user, program):
    api = api_as(client_user)
    not_begun = practice.latest_loggable_day() + timedelta(days=1)  # nowhere on earth yet
    assert "date" in log(api, program, date=not_begun.isoformat()).json()
    before = program.start_date - timedelta(days=1)
    response = log(api, program, date=before.isoformat())
    assert response.status_code == 400 and "date" in response.json()


def test_only_the_programs_client_logs_practice(api_as, staff, client_user, program):
    response = log(api_as(staff), program, date=today(client_user))
    assert response.status_code == 403
    assert not PracticeLog.objects.exists()


def test_no_practice_log_on_a_completed_program(api_as, staff, client_user, program):
    api_as(staff).post(f"/api/programs/{program.pk}/complete/")
    response = log(api_as(client_user), program, date=today(client_user))
    assert response.status_code == 409


def test_adherence_is_the_share_of_the_days_planned_exercises(client_user, program):
    calf, toes, heels = program.items.all()
    toes.days = [0]  # Mondays only
    toes.save()
    monday = program.start_date + timedelta(days=(7 - program.start_date.weekday()) % 7)
    entry, _ = practice.practice_log_record(
        program=program, by=client_user, date=monday, completed_items=[calf.pk]
    )
    assert (entry.planned_count, entry.done_count, entry.adherence) == (3, 1, 33)
    wednesday = monday + timedelta(days=2)  # three times a week: Mon, Wed, Fri
    entry, _ = practice.practice_log_record(
        program=program, by=client_user, date=wednesday, completed_items=[calf.pk, heels.pk]
    )
    assert (entry.planned_count, entry.adherence) == (2, 100)


def test_practice_days_are_the_frequencys_days_plus_the_items_own(make_program, client_user):
    program = make_program(client_user, weekly_frequency=2, start_date=date(2026, 3, 4))
    assert practice.practice_weekdays(program) == [0, 3]  # twice a week: Monday, Thursday
    calf, toes = program.items.all()
    toes.days = [1, 5]
    toes.save()
    program = type(program).objects.get(pk=program.pk)
    assert practice.practice_weekdays(program) == [0, 1, 3, 5]
    assert practice.items_for_day(program, date(2026, 3, 5)) == [calf]  # a Thursday
    assert practice.items_for_day(program, date(2026, 3, 7)) == [toes]  # a Saturday
    assert practice.items_for_day(program, date(2026, 3, 8)) == []  # Sunday: rest
    # from the start date (a Wednesday) on
    assert practice.practice_dates(program, date(2026, 3, 2), date(2026, 3, 10)) == [
        date(2026, 3, 5),
        date(2026, 3, 7),
        date(2026, 3, 9),
        date(2026, 3, 10),
    ]


def test_log_list_is_newest_first(api_as, client_user, program):
    api = api_as(client_user)
    day = practice.client_today(client_user.client)
    for n in (3, 1, 2):
        log(api, program, date=(day - timedelta(days=n)).isoformat(), pain=n)
    rows = api.get(f"/api/programs/{program.pk}/logs/").json()["results"]
    assert [r["pain"] for r in rows] == [1, 2, 3]
    since = (day - timedelta(days=2)).isoformat()
    assert len(api.get(f"/api/programs/{program.pk}/logs/?since={since}").json()["results"]) == 2
    assert api.get(f"/api/programs/{program.pk}/logs/?since=nope").status_code == 400


def test_chart_series_are_oldest_first(client_user, program):
    day = practice.client_today(client_user.client)
    for n, pain in ((2, 6), (1, 4)):
        practice.practice_log_record(
            program=program, by=client_user, date=day - timedelta(days=n), pain=pain
        )
    chart = practice.practice_chart(list(program.logs.all()))
    assert chart["pain"] == [6, 4]
    assert chart["labels"] == [(day - timedelta(days=n)).isoformat() for n in (2, 1)]
    assert chart["adherence"] == [0, 0]


def test_programs_without_recent_practice_are_found_for_nudges(client_user, program):
    from programs.selectors import programs_without_recent_practice

    day = practice.client_today(client_user.client)
    assert list(programs_without_recent_practice(since=day)) == [program]
    practice.practice_log_record(program=program, by=client_user, date=day, pain=1)
    assert list(programs_without_recent_practice(since=day)) == []


def test_log_accepts_a_day_already_begun_where_the_device_is(
    api_as, client_user, program, time_machine
):
    """19:30 in New York is already the next day in London: a phone there may log it; a day
    that has begun nowhere (not even at UTC+14) is refused."""
    client_user.client.timezone = "America/New_York"
    client_user.client.save()
    time_machine.move_to(datetime(2026, 11, 28, 0, 30, tzinfo=UTC), tick=False)
    api = api_as(client_user)
    assert practice.client_today(client_user.client) == date(2026, 11, 27)
    assert log(api, program, date="2026-11-28", pain=2).status_code == 201
    assert log(api, program, date="2026-11-29", pain=2).status_code == 400


def test_options_on_a_logged_day_is_answered_not_a_500(api_as):
    """OPTIONS on PUT /api/programs/{id}/logs/{day}/ (the fuzzer found a 500: DRF's metadata
    asked the view for an object it never had)."""
    client = factories.ClientFactory()
    r = api_as(client.user).options("/api/programs/1/logs/0/")
    assert r.status_code == 200
