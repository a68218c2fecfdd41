"""Check-in: after class, ticked places become completed and unticked ones no-shows (the job,
once); a tick within 24 hours still changes a no-show, later it is refused."""

from datetime import timedelta

import pytest

from bookings.classes import checkin, services
from bookings.classes.tasks import classes_mark_attendance_task
from studio.kernel.errors import Conflict
from tests import factories

pytestmark = pytest.mark.django_db


def test_after_class_unticked_places_become_no_shows_reversible_for_a_day(
    make_class, owner_user, time_machine
):
    occurrence = make_class(capacity=3)
    came, missed = (
        services.class_book(occurrence=occurrence, user=c.user)[0]
        for c in factories.ClientFactory.create_batch(2)
    )
    checkin.place_check_in(occurrence=occurrence, booking_id=came.pk, present=True, by=owner_user)
    after = occurrence.end + timedelta(minutes=5)
    time_machine.move_to(after, tick=False)
    assert classes_mark_attendance_task.delay(after.isoformat()).get() == 2
    assert classes_mark_attendance_task.delay(after.isoformat()).get() == 0
    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.status, missed.status) == ("completed", "no_show")
    fixed = checkin.place_check_in(
        occurrence=occurrence, booking_id=missed.pk, present=True, by=owner_user
    )
    assert fixed.status == "completed"
    time_machine.move_to(occurrence.end + timedelta(hours=25), tick=False)
    with pytest.raises(Conflict, match="24 hours"):
        checkin.place_check_in(
            occurrence=occurrence, booking_id=missed.pk, present=False, by=owner_user
        )
