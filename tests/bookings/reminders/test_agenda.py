"""The daily agenda e-mail to each specialist, at 07:00 in their zone, once a day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from bookings.models import Reminder
from bookings.reminders.tasks import agendas_schedule_task
from tests.bookings.reminders.helpers import book, cancel, run_due, utc
from tests.factories import ServiceFactory, SpecialistFactory

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")


def ny(*args, fold=0) -> datetime:
    return datetime(*args, fold=fold, tzinfo=NY)


def agendas() -> list:
    return [m for m in mail.outbox if m.subject.startswith("Your agenda")]


def test_agenda_goes_out_at_seven_local_once_with_the_days_sessions():
    sydney = SpecialistFactory(user__first_name="Sydney", user__email="syd@example.org")
    service = ServiceFactory(name="Consultation", duration_minutes=30)
    with time_machine.travel(utc(2026, 6, 1, 12, 0), tick=False) as clock:
        morning = book(start=ny(2026, 6, 9, 10, 0), specialist=sydney, service=service)
        book(start=ny(2026, 6, 9, 14, 0), specialist=sydney, service=service)
        cancel(book(start=ny(2026, 6, 9, 12, 0), specialist=sydney, service=service))
        book(start=ny(2026, 6, 10, 9, 0), specialist=sydney, service=service)
        clock.move_to(ny(2026, 6, 9, 6, 59))
        assert agendas_schedule_task.delay().get() == 0
        clock.move_to(ny(2026, 6, 9, 7, 0))
        assert agendas_schedule_task.delay().get() == 1
        assert agendas_schedule_task.delay().get() == 0  # one per specialist and day
        run_due()
        clock.move_to(ny(2026, 6, 9, 9, 0))
        agendas_schedule_task.delay().get()
        run_due()
    [message] = agendas()
    assert message.to == ["syd@example.org"]
    assert message.subject == "Your agenda for Tue 9 Jun: 2 sessions"
    assert "Tuesday 9 June 2026 (America/New_York)" in message.body
    assert f"10:00 AM–10:30 AM  {morning.client.user.name} · Consultation" in message.body
    assert "2:00 PM–2:30 PM" in message.body
    assert "12:00 PM" not in message.body  # cancelled
    assert Reminder.objects.get(kind="agenda").status == "sent"


def test_agenda_on_the_dst_day_covers_all_25_local_hours():
    sydney = SpecialistFactory()
    with time_machine.travel(utc(2026, 10, 20, 12, 0), tick=False) as clock:
        book(start=ny(2026, 11, 1, 8, 0), specialist=sydney)
        book(start=ny(2026, 11, 1, 23, 30), specialist=sydney)  # 04:30 UTC the next day
        book(start=ny(2026, 11, 2, 0, 30), specialist=sydney)  # Monday: not in Sunday's agenda
        clock.move_to(ny(2026, 11, 1, 7, 0))  # 12:00 UTC: EST, after the change
        agendas_schedule_task.delay().get()
        run_due()
    [message] = agendas()
    assert message.subject == "Your agenda for Sun 1 Nov: 2 sessions"
    assert "8:00 AM–" in message.body and "11:30 PM–" in message.body
    assert "12:30 AM" not in message.body


def test_agenda_still_goes_out_when_its_anchor_booking_is_cancelled():
    sydney = SpecialistFactory()
    with time_machine.travel(utc(2026, 6, 1, 12, 0), tick=False) as clock:
        first = book(start=ny(2026, 6, 9, 9, 0), specialist=sydney)
        book(start=ny(2026, 6, 9, 15, 0), specialist=sydney)
        clock.move_to(ny(2026, 6, 9, 7, 0))
        agendas_schedule_task.delay().get()
        assert Reminder.objects.get(kind="agenda").booking_id == first.pk
        cancel(first)
        run_due()
    [message] = agendas()
    assert message.subject.endswith(": 1 session")
    assert "3:00 PM–" in message.body


def test_agenda_is_not_made_for_a_day_without_sessions():
    SpecialistFactory()
    with time_machine.travel(utc(2026, 6, 9, 12, 0), tick=False):
        assert agendas_schedule_task.delay().get() == 0
        run_due()
    assert agendas() == []
