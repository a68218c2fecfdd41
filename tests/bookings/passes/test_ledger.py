"""The credit ledger: consume, restore, forfeit, expire, adjust; its database constraints."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Studio
from bookings import services
from bookings.passes.ledger import NoCredits, credit_consume, credits_adjust, credits_expire
from bookings.passes.models import CreditEntry
from bookings.passes.selectors import credits_balance
from studio.kernel.errors import Invalid
from tests import factories

from .conftest import grant, make_pass

pytestmark = pytest.mark.django_db


def booking_for(client, service, *, days=3, **kw):
    start = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return factories.BookingFactory(
        client=client, service=service, start=start, payment_method="credits", **kw
    )


def test_ledger_consume_takes_from_the_grant_expiring_first(client_profile, mat_class, pack):
    later = grant(client_profile, pack, credits=5, expires_in=timedelta(days=60))
    sooner = grant(client_profile, pack, credits=5, expires_in=timedelta(days=20))

    entry = credit_consume(booking=booking_for(client_profile, mat_class), by=None)

    assert (entry.kind, entry.amount, entry.bucket_id) == ("consume", -1, sooner.pk)
    assert entry.expires_at == sooner.expires_at
    assert credits_balance(client_id=client_profile.pk) == 9
    assert later.moves.count() == 0


def test_ledger_consume_skips_grants_that_expire_before_the_session_or_do_not_cover_it(
    client_profile, mat_class, pack
):
    other = make_pass("reformer-pack", services=[factories.ServiceFactory(slug="reformer")])
    grant(client_profile, other, credits=3)  # covers another service only
    grant(client_profile, pack, credits=3, expires_in=timedelta(days=2))  # gone by day 3

    with pytest.raises(NoCredits):
        credit_consume(booking=booking_for(client_profile, mat_class, days=3), by=None)

    assert credits_balance(client_id=client_profile.pk) == 6
    assert not CreditEntry.objects.filter(kind="consume").exists()


def test_ledger_one_consume_per_booking_is_a_database_constraint(client_profile, mat_class, pack):
    bucket = grant(client_profile, pack)
    booking = booking_for(client_profile, mat_class)
    first = credit_consume(booking=booking, by=None)

    assert credit_consume(booking=booking, by=None) == first  # the service: harmless repeat
    with pytest.raises(IntegrityError), transaction.atomic():  # the database: refused
        CreditEntry.objects.create(
            client=client_profile, kind="consume", amount=-1, bucket=bucket, booking=booking
        )
    assert credits_balance(client_id=client_profile.pk) == 9


def test_ledger_entries_are_never_changed_or_deleted(client_profile, pack):
    entry = grant(client_profile, pack)

    entry.amount = 100
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert CreditEntry.objects.get(pk=entry.pk).amount == 10


def test_ledger_cancel_in_time_restores_the_same_grant_with_its_expiry(
    client_profile, mat_class, pack
):
    bucket = grant(client_profile, pack, credits=2)
    booking = booking_for(client_profile, mat_class, days=5)
    credit_consume(booking=booking, by=None)

    services.booking_cancel(booking=booking, by=client_profile.user)

    restore = CreditEntry.objects.get(kind="restore")
    assert (restore.amount, restore.bucket_id, restore.booking_id) == (1, bucket.pk, booking.pk)
    assert restore.expires_at == bucket.expires_at
    assert credits_balance(client_id=client_profile.pk) == 2


def test_ledger_late_cancel_forfeits_the_credit(client_profile, mat_class, pack):
    Studio.objects.update_or_create(pk=1, defaults={"cancellation_window_hours": 24})
    grant(client_profile, pack, credits=2)
    booking = booking_for(client_profile, mat_class, days=0, status="confirmed")
    booking.start = timezone.now() + timedelta(hours=3)  # inside the 24-hour window
    booking.end = booking.blocked_end = booking.start + timedelta(minutes=30)
    booking.blocked_start = booking.start
    booking.save()
    credit_consume(booking=booking, by=None)

    services.booking_cancel(booking=booking, by=client_profile.user)

    assert not CreditEntry.objects.filter(kind="restore").exists()
    assert booking.events.filter(kind="credit_forfeited").count() == 1
    assert credits_balance(client_id=client_profile.pk) == 1


def test_ledger_staff_cancel_inside_the_window_restores(
    client_profile, mat_class, pack, owner_user
):
    grant(client_profile, pack, credits=1)
    booking = booking_for(client_profile, mat_class, days=0)
    booking.start = timezone.now() + timedelta(hours=1)
    booking.end = booking.blocked_end = booking.start + timedelta(minutes=30)
    booking.blocked_start = booking.start
    booking.save()
    credit_consume(booking=booking, by=None)

    services.booking_cancel(booking=booking, by=owner_user)

    assert credits_balance(client_id=client_profile.pk) == 1


def test_ledger_no_show_keeps_the_credit_spent(client_profile, mat_class, pack, owner_user):
    grant(client_profile, pack, credits=1)
    booking = booking_for(client_profile, mat_class)
    credit_consume(booking=booking, by=None)
    later = booking.start + timedelta(hours=1)

    services.booking_mark(booking=booking, status="no_show", by=owner_user, now=later)

    assert credits_balance(client_id=client_profile.pk) == 0
    assert not CreditEntry.objects.filter(kind="restore").exists()


def test_ledger_expiry_job_writes_off_what_is_left_once(client_profile, mat_class, pack):
    bucket = grant(client_profile, pack, credits=3, expires_in=timedelta(days=10))
    credit_consume(booking=booking_for(client_profile, mat_class, days=2), by=None)
    after = timezone.now() + timedelta(days=11)

    assert credits_expire(now=after) == 2
    assert credits_expire(now=after) == 0  # a second run (or a second worker) finds nothing

    expiry = CreditEntry.objects.get(kind="expire")
    assert (expiry.amount, expiry.bucket_id) == (-2, bucket.pk)
    assert credits_balance(client_id=client_profile.pk, now=after) == 0


def test_ledger_staff_adjust_needs_a_reason_and_never_goes_below_zero(
    client_profile, pack, owner_user
):
    grant(client_profile, pack, credits=2)

    with pytest.raises(Invalid):
        credits_adjust(client_id=client_profile.pk, amount=1, by=owner_user, reason=" ")
    with pytest.raises(Invalid):
        credits_adjust(client_id=client_profile.pk, amount=-3, by=owner_user, reason="typo")
    credits_adjust(client_id=client_profile.pk, amount=-2, by=owner_user, reason="duplicate")
    [added] = credits_adjust(
        client_id=client_profile.pk, amount=1, by=owner_user, reason="goodwill"
    )

    assert credits_balance(client_id=client_profile.pk) == 1
    assert (added.kind, added.by, added.reason) == ("adjust", owner_user, "goodwill")


def test_ledger_expiry_is_a_periodic_job(client_profile, pack, time_machine, settings):
    from bookings.passes.tasks import credits_expire_task
    from studio.celery import app

    grant(client_profile, pack, credits=4, expires_in=timedelta(days=1))
    time_machine.move_to(timezone.now() + timedelta(days=2))

    assert credits_expire_task.delay().get() == 4

    job = settings.CELERY_BEAT_SCHEDULE["credits-expire"]
    assert job["task"] == credits_expire_task.name in app.tasks
    assert CreditEntry.objects.filter(kind="expire").count() == 1
