"""Lapsed offers on real Celery workers (Redis, the test database, a real SMTP server; see
tests/fixtures/workers.py): two workers run the lapse job at the same moment, and each expired
offer lapses once and the next person is offered the place once, by one e-mail. Runs in the
PostgreSQL + Redis pass. The workers are handed this test's frozen instant, not the wall clock."""

import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bookings.classes import services, waitlist
from bookings.classes.models import WaitlistOffer
from bookings.classes.tasks import offers_lapse_due_task
from bookings.services import booking_cancel
from studio.kernel.outbox import outbox_sweep
from tests import factories

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_two_workers_lapse_each_offer_once_and_offer_the_next_person_once(
    celery_workers, smtp, make_class
):
    classes = []
    for n in range(3):
        occurrence = make_class(capacity=1, days=3 + n)
        place, _ = services.class_book(occurrence=occurrence, user=factories.ClientFactory().user)
        for i in range(2):
            waitlist.waitlist_join(
                occurrence=occurrence,
                client=factories.ClientFactory(user__email=f"c{n}w{i}@example.org"),
            )
        booking_cancel(booking=place, by=place.client.user)
        classes.append(occurrence)
    outbox_sweep()  # the set-up's e-mails (cancellations, first offers), sent and set aside
    smtp.reset()
    later = (datetime.now(UTC) + timedelta(hours=2, minutes=5)).isoformat()
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    for task_id in ids:
        celery_workers.publish(offers_lapse_due_task, task_id, now=later)
    for task_id in ids:
        celery_workers.wait_done(task_id)
    # The offers the workers owe go out through the outbox: every row once, however often
    # the sweeper runs (the workers' own deliveries go to their run's queue, not theirs).
    outbox_sweep()
    outbox_sweep()
    messages = smtp.wait_for(3)
    offered = Counter(m["To"] for m in smtp.messages if "A place is free" in m["Subject"])
    assert offered == Counter({f"c{n}w1@example.org": 1 for n in range(3)}), messages
    for occurrence in classes:
        statuses = Counter(
            WaitlistOffer.objects.filter(occurrence=occurrence).values_list("status", flat=True)
        )
        assert statuses == Counter({"lapsed": 1, "open": 1})
