"""Practice nudges: one e-mail after N idle days on an active program, never twice, only by day."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from bookings.models import PracticeNudge
from bookings.reminders.nudges import practice_nudges_send
from bookings.reminders.tasks import practice_nudges_send_task
from programs import services
from programs.demo import seed_catalog
from programs.models import PracticeLog, Program
from tests import factories

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
START = date(2026, 6, 1)  # a Monday


def at(day: int, hour: int = 14) -> datetime:
    return datetime(2026, 6, day, hour, 0, tzinfo=NY)


@pytest.fixture
def program(db, settings):
    settings.PRACTICE_NUDGE_DAYS = 4
    settings.SITE_URL = "https://tonic.example"
    catalog = seed_catalog()
    staff = factories.SpecialistFactory().user
    client = factories.ClientFactory(user__first_name="Hannah").user.client
    factories.on_care_team(client, staff)
    with time_machine.travel(at(1, 8), tick=False):
        return services.program_create(
            client=client,
            by=staff,
            title="Knee rehab after surgery",
            items=[{"exercise": catalog["calf-stretch"]}],
            start_date=START,
            weekly_frequency=7,
        )


def send(moment: datetime) -> dict[str, int]:
    with time_machine.travel(moment, tick=False):
        return practice_nudges_send()


def test_practice_nudge_sent_once_after_n_idle_days(program):
    assert send(at(4))["sent"] == 0  # running 3 days only
    assert mail.outbox == []

    assert send(at(5))["sent"] == 1
    [message] = mail.outbox
    assert message.to == [program.client.user.email]
    assert "home practice" in message.subject.lower()
    assert "Knee" not in message.subject and "surgery" not in message.subject
    assert f"https://tonic.example/portal/program/{program.pk}/" in message.body
    assert "Hannah" in message.body
    nudge = PracticeNudge.objects.get()
    assert (nudge.client, nudge.day, nudge.sent_at is not None) == (
        program.client,
        date(2026, 6, 5),
        True,
    )

    # A rerun the same hour, the next hours and the next days (within N days) send nothing.
    assert send(at(5, 15))["sent"] == 0
    assert send(at(6))["sent"] == 0
    assert send(at(8, 17))["sent"] == 0
    assert len(mail.outbox) == 1
    # N days later, still idle: one more.
    assert send(at(9))["sent"] == 1
    assert len(mail.outbox) == 2


def test_practice_nudge_not_sent_when_the_client_logged(program):
    PracticeLog.objects.create(program=program, date=date(2026, 6, 3))
    assert send(at(5))["sent"] == 0
    assert send(at(6))["sent"] == 0
    assert mail.outbox == []
    # Four days without a log after the 3rd: nudged.
    assert send(at(7))["sent"] == 1


def test_practice_nudge_only_in_the_clients_daytime(program):
    assert send(at(5, 7))["sent"] == 0
    assert send(at(5, 19))["sent"] == 0
    assert mail.outbox == []
    assert send(at(5, 9))["sent"] == 1


def test_practice_nudge_not_without_an_active_program(program):
    staff = program.created_by
    with time_machine.travel(at(2), tick=False):
        services.program_set_status(program=program, by=staff, status=Program.Status.COMPLETED)
    draft = services.program_create(
        client=factories.on_care_team(factories.ClientFactory(), staff),
        by=staff,
        title="Draft",
        items=[{"exercise": program.items.first().exercise}],
        status="draft",
        start_date=START,
        weekly_frequency=7,
    )
    assert draft.status == Program.Status.DRAFT
    assert send(at(6))["sent"] == 0
    assert mail.outbox == [] and not PracticeNudge.objects.exists()


def test_practice_nudge_claimed_by_another_worker_is_not_sent_again(program):
    # Another worker's claim for today (committed, mail in flight): this run skips the client.
    PracticeNudge.objects.create(client=program.client, program=program, day=date(2026, 6, 5))
    assert send(at(5)) == {"sent": 0, "skipped": 0, "failed": 0}
    assert mail.outbox == []


def test_practice_nudge_failed_send_is_retried_next_run(program, settings):
    settings.EMAIL_BACKEND = "tests.bookings.reminders.test_nudges.BrokenBackend"
    assert send(at(5))["failed"] == 1
    assert not PracticeNudge.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send(at(5, 15))["sent"] == 1


def test_practice_nudge_task_runs_the_service(program):
    with time_machine.travel(at(5), tick=False):
        result = practice_nudges_send_task.apply().get()
    assert result["sent"] == 1 and len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP down")
