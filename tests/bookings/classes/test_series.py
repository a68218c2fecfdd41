"""Series keep their wall-clock time across DST; staff edit one class or this and following;
an instructor teaching is busy for private sessions."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.classes import places, series, services
from bookings.classes.models import ClassOccurrence
from bookings.models import Booking
from studio.kernel.errors import Conflict
from tests import factories

from .conftest import NY

pytestmark = pytest.mark.django_db


def test_series_52_weeks_drifts_zero_minutes_across_both_dst_changes(instructor, owner_user):
    # Mondays and Thursdays at 07:30 New York from January 2026 to January 2027: through the
    # March (spring forward) and November (fall back) changes.
    occurrences = services.class_create(
        title="Mat",
        instructor=instructor,
        start=datetime(2026, 1, 5, 7, 30),
        zone="America/New_York",
        duration_minutes=45,
        capacity=10,
        weekdays=[0, 3],
        until=date(2027, 1, 4),
        by=owner_user,
    )
    assert len(occurrences) == 105  # 52 weeks of two classes, and the Monday that ends it
    local = [o.start.astimezone(NY) for o in occurrences]
    assert {(t.hour, t.minute) for t in local} == {(7, 30)}, "drifted off 07:30 on some date"
    assert {t.weekday() for t in local} == {0, 3}
    offsets = {o.start.astimezone(NY).utcoffset() for o in occurrences}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}, "the series never crossed DST"
    assert {(o.end - o.start) for o in occurrences} == {timedelta(minutes=45)}


def test_a_time_skipped_by_spring_forward_lands_an_hour_later():
    zone = ZoneInfo("America/New_York")
    instant = series.local_instant(date(2026, 3, 8), time(2, 30), zone)
    assert instant.astimezone(zone).time() == time(3, 30)


def test_series_refuses_an_instructor_already_teaching(make_class, instructor):
    first = make_class()
    with pytest.raises(Conflict, match="another class"):
        make_class(start=first.start + timedelta(minutes=30))


def test_instructor_teaching_is_busy_for_private_sessions(api, make_class, instructor):
    occurrence = make_class(days=3)
    service = factories.ServiceFactory(slug="consultation", duration_minutes=30)
    service.specialists.add(instructor)
    day = occurrence.start.astimezone(NY).date()
    slots = api.get(
        f"/api/availability/?service=consultation&start={day}&end={day}&specialist={instructor.pk}"
    ).json()["slots"]
    starts = {datetime.fromisoformat(s["start"]) for s in slots}
    assert starts, "the instructor has free time that day"
    assert not any(occurrence.start - timedelta(minutes=30) < s < occurrence.end for s in starts)
    response = api.post(
        "/api/bookings/",
        {
            "service": "consultation",
            "specialist": instructor.pk,
            "start": occurrence.start.isoformat(),
            "name": "Pat",
            "email": "pat@example.org",
        },
        format="json",
    )
    assert response.status_code == 409


def test_a_private_session_blocks_a_class_at_that_time(make_class, instructor):
    start = (datetime.now(UTC) + timedelta(days=4)).replace(microsecond=0)
    factories.BookingFactory(specialist=instructor, start=start)
    with pytest.raises(Conflict, match="private session"):
        make_class(start=start)


@pytest.fixture
def weekly(instructor, owner_user):
    return services.class_create(
        title="Reformer",
        instructor=instructor,
        start=datetime(2026, 10, 19, 9, 0),  # Mondays, across the November change
        zone="America/New_York",
        duration_minutes=50,
        capacity=6,
        weekdays=[0],
        until=date(2026, 11, 30),
        by=owner_user,
    )


def test_edit_one_occurrence_substitutes_the_instructor_of_that_class_only(
    weekly, owner_user, time_machine
):
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    substitute = factories.SpecialistFactory()
    services.occurrence_edit(
        occurrence=weekly[2], scope="this", instructor=substitute, by=owner_user
    )
    teachers = list(
        ClassOccurrence.objects.filter(series=weekly[0].series)
        .order_by("start")
        .values_list("instructor_id", flat=True)
    )
    assert teachers.count(substitute.pk) == 1 and teachers[2] == substitute.pk


def test_edit_this_and_following_moves_later_classes_at_the_new_wall_clock_time(
    weekly, owner_user, time_machine, api
):
    time_machine.move_to(datetime(2026, 10, 1, tzinfo=UTC), tick=False)
    client = factories.ClientFactory()
    booking = places.place_insert(
        occurrence=places.lock(weekly[4]), client=client, user=None, now=datetime.now(UTC)
    )
    # From the third class on (2 November, after the change): Tuesdays at 18:00.
    new_start = datetime(2026, 11, 3, 18, 0, tzinfo=NY)
    changed = services.occurrence_edit(
        occurrence=weekly[2], scope="following", start=new_start, by=owner_user
    )
    assert len(changed) == len(weekly) - 2
    rows = list(ClassOccurrence.objects.filter(series=weekly[0].series).order_by("start"))
    local = [o.start.astimezone(NY) for o in rows]
    assert [(t.weekday(), t.hour) for t in local[:2]] == [(0, 9), (0, 9)]
    assert {(t.weekday(), t.hour, t.minute) for t in local[2:]} == {(1, 18, 0)}
    booking.refresh_from_db()
    assert booking.start == rows[4].start and booking.sequence == 1
    assert booking.events.filter(kind="rescheduled").count() == 1


def test_capacity_cannot_drop_below_places_booked(make_class, owner_user):
    occurrence = make_class(capacity=3)
    for client in factories.ClientFactory.create_batch(2):
        places.place_insert(occurrence=occurrence, client=client, user=None, now=datetime.now(UTC))
    with pytest.raises(Conflict, match="2 places are booked"):
        services.occurrence_edit(occurrence=occurrence, capacity=1, by=owner_user)
    assert Booking.objects.filter(occurrence=occurrence).count() == 2
