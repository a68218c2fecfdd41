"""Every write to a booking: create, reschedule, cancel, mark, expire a hold (a paid hold is
confirmed by bookings/payments/transitions.py).

Never double-booked: each write that takes time re-checks the slot inside its transaction, after
queueing behind other writers for the same specialist. On SQLite the transaction is IMMEDIATE
(settings), which queues every writer. On PostgreSQL the specialist's row is locked first, so the
re-check sees what the previous writer committed. Underneath, the exclusion constraint
`booking_no_overlap` refuses any overlapping row that still gets through (a write that skipped
the lock); its refusal (SQLSTATE 23P01), or the deadlock that concurrent conflicting inserts can
end in (40P01), becomes a 409. Side effects (payments, reminders, calendars) go through the hook
modules; e-mails are owed through the outbox in the same transaction (studio/kernel/outbox.py). Stripe
is only called after a commit (booking_create).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from accounts import access
from accounts.addresses import normalize_email, normalize_email_or_none
from accounts.care_team import care_team_join
from accounts.enquiry_links import enquiries_link_new_client
from accounts.models import CareTeamMember, ClientProfile, SpecialistProfile, Studio, User
from bookings.calendars.events import calendar_booking_changed
from bookings.payments.services import payment_method_for, payment_on_cancel, payment_start
from bookings.payments.transitions import booking_hold_expire
from bookings.reminders.services import reminders_cancel, reminders_schedule
from studio.kernel import sql
from studio.kernel.errors import Conflict, Invalid, NotAllowed

from . import selectors
from .audience import client_has_history, guest_restricted
from .availability import blocked_interval
from .classes import hooks as class_hooks
from .models import Booking, BookingEvent, Service
from .notifications import booking_notify_later
from .passes.ledger import credit_consume, credits_on_cancel

OVERLAP_SQLSTATE = "23P01"  # exclusion_violation
DEADLOCK_SQLSTATE = "40P01"  # deadlock_detected
SLOT_TAKEN = "That time is no longer free. Please choose another."


def _sqlstate(exc: Exception) -> str | None:
    cause = exc.__cause__
    return getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)


def is_overlap_violation(exc: Exception) -> bool:
    """True when PostgreSQL refused a row because of the booking_no_overlap constraint."""
    return _sqlstate(exc) == OVERLAP_SQLSTATE or "booking_no_overlap" in str(exc)


def _save_guarded(booking: Booking, *, savepoint: bool = True, **kwargs) -> None:
    """Save inside a savepoint; the no-overlap constraint's refusal becomes Conflict (409).
    `savepoint=False` when a refusal ends the whole transaction anyway (two fewer statements)."""
    try:
        with transaction.atomic(savepoint=savepoint):
            booking.save(**kwargs)
    except IntegrityError as exc:
        if is_overlap_violation(exc):
            raise Conflict(SLOT_TAKEN) from exc
        raise
    except OperationalError as exc:
        # Two inserts checking the exclusion constraint against each other can deadlock;
        # PostgreSQL aborts one of them, which has lost the slot.
        if _sqlstate(exc) == DEADLOCK_SQLSTATE:
            raise Conflict(SLOT_TAKEN) from exc
        raise


def lock_specialists(specialists) -> None:
    """Queue this transaction behind other booking writes for these specialists.

    PostgreSQL: a row lock per specialist, in id order. FOR NO KEY UPDATE conflicts with itself
    but not with the key-share locks of rows pointing at the specialist (busy times, ...).
    SQLite ignores it: its IMMEDIATE transactions already queue every writer.
    """
    if not connection.features.has_select_for_update:
        return  # SQLite: the query would lock nothing and cost a round trip
    ids = sorted({s.pk for s in specialists})
    list(
        SpecialistProfile.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def offering_locked(
    service: Service, specialist: SpecialistProfile | None
) -> list[SpecialistProfile]:
    """Who may take a new booking of the service (only `specialist` when named, with the user
    its audit line names), locked as lock_specialists does, in the same query."""
    return selectors.specialists_for(service, only=specialist, lock=True)


def _changed(booking: Booking, kind: str, by: User | None, **data) -> None:
    """Record one change in the booking's history and tell its calendars."""
    BookingEvent.objects.create(booking=booking, kind=kind, by=by, data=data)
    calendar_booking_changed(booking)


def _staff(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.is_studio_staff)


# --- who is booking ---------------------------------------------------------------------------


# One answer for every address a guest may not book with: a studio account's (staff log in and
# book for the client) or the studio's own contact addresses. It names neither, so a guest cannot
# tell a staff account from the studio's mailbox; either way the address is one the studio
# publishes. Any other address books the same way whether or not it has an account.
ADDRESS_REFUSED = (
    "Bookings for this e-mail address cannot be made here. Please log in, or use another address."
)


def _studio_addresses(studio: Studio) -> set[str]:
    """The studio's own contact addresses, normalised (not people: nobody books as them)."""
    wanted = [
        studio.email,
        settings.STUDIO_NOTIFY_EMAIL,
        parseaddr(settings.DEFAULT_FROM_EMAIL)[1],
    ]
    return {address for value in wanted if (address := normalize_email_or_none(value or ""))}


def client_for_booking(
    *,
    user: User | None,
    name: str = "",
    email: str = "",
    phone: str = "",
    tz: str = "",
    studio: Studio | None = None,
) -> tuple[ClientProfile, bool]:
    """The logged-in client, or the client with this e-mail (created if new), and whether this
    booking created them. Raises Invalid. `studio`: the caller's copy, if it holds one.

    Nothing about an existing client is disclosed or changed here: a returning client's address
    books like a new one (their stored name and details stay as they are), and the answers never
    carry them (bookings/api/views.py echoes the name the guest typed)."""
    if user is not None and user.is_authenticated and user.role == User.Role.CLIENT:
        profile, _ = ClientProfile.objects.get_or_create(user=user)
        return profile, False
    errors = {}
    if not name.strip():
        errors["name"] = ["Please give your name."]
    if not email.strip():
        errors["email"] = ["Please give your e-mail address."]
    if errors:
        raise ValidationError(errors)
    try:
        email = normalize_email(email)
    except ValidationError as exc:
        raise Invalid(exc.messages[0], field="email") from exc
    if email in _studio_addresses(studio or Studio.get()):
        raise Invalid(ADDRESS_REFUSED, field="email")
    existing = next(
        iter(
            User.objects.raw(  # email__iexact, in raw SQL: every booking asks
                f"SELECT * FROM {sql.table(User)} WHERE UPPER(email) = UPPER(%s) ORDER BY email LIMIT 1",
                [email],
            )
        ),
        None,
    )
    if existing is None:
        first, _, last = name.strip().partition(" ")
        try:
            with transaction.atomic():
                existing = User.objects.create_user(
                    email=email, first_name=first[:150], last_name=last[:150], role=User.Role.CLIENT
                )
                profile = ClientProfile.objects.create(
                    user=existing, phone=phone[:40], timezone=tz or "America/New_York"
                )
                enquiries_link_new_client(client=profile)
                return profile, True
        except IntegrityError:
            # Someone booked with this new e-mail at the same moment and committed first.
            existing = User.objects.get(email__iexact=email)
    if existing.role != User.Role.CLIENT:
        raise Invalid(ADDRESS_REFUSED, field="email")
    profile, _ = ClientProfile.objects.get_or_create(user=existing)
    return profile, False


GUEST_RESTRICTED = "Please log in to book this service."


def guest_may_book(*, service: Service, user: User | None) -> None:
    """A guest (not logged in) may book only services open to everyone. Raises NotAllowed.

    Services for existing clients, or for clients with an intake on file, check the client's
    history; for a guest that client is whoever owns the typed address, so the answer would
    tell a stranger whether that person is a client here. Guests get one answer instead, before
    any look-up; clients log in (a password reset sets a first password)."""
    if user is not None and user.is_authenticated:
        return
    if guest_restricted(service):
        raise NotAllowed(GUEST_RESTRICTED)


def _check_may_book(service: Service, client: ClientProfile) -> None:
    if service.audience == Service.Audience.EXISTING and not client_has_history(client):
        raise NotAllowed("This service is for existing clients. Please book a consultation first.")
    if service.intake_required and not client.intakes.exists():
        raise NotAllowed("Please complete the intake form before booking this service.")


# --- create -----------------------------------------------------------------------------------


def booking_create(
    *,
    service: Service,
    specialist: SpecialistProfile | None,
    start: datetime,
    user: User | None = None,
    name: str = "",
    email: str = "",
    phone: str = "",
    notes: str = "",
    tz: str = "",
    client: ClientProfile | None = None,
    now: datetime | None = None,
    override_reason: str = "",
    pay_with: str = "card",
) -> tuple[Booking, dict | None]:
    """Book a free slot (specialist None = any; only its pk is read: the row is loaded, checked
    and locked here); raises Conflict if taken, Invalid, NotAllowed.
    Staff giving an `override_reason` may book outside hours, notice, horizon and clients-only
    rules, never over another booking (Conflict).

    The booking (held when a card payment is due) commits first; Stripe is asked afterwards,
    outside the transaction, so a hung Stripe never holds the database (bookings/payments/services.py).
    `pay_with="credits"` pays with a pass's credit in the same transaction (NoCredits: 409).
    """
    booking = _booking_insert(
        service=service,
        specialist=specialist,
        start=start,
        user=user,
        name=name,
        email=email,
        phone=phone,
        notes=notes,
        tz=tz,
        client=client,
        now=now,
        override_reason=override_reason,
        pay_with=pay_with,
    )
    return booking, payment_start(booking)


@transaction.atomic
def _booking_insert(
    *,
    service: Service,
    specialist: SpecialistProfile | None,
    start: datetime,
    user: User | None,
    name: str,
    email: str,
    phone: str,
    notes: str,
    tz: str,
    client: ClientProfile | None,
    now: datetime | None,
    override_reason: str = "",
    pay_with: str = "card",
) -> Booking:
    """booking_create's transaction: re-check the slot and insert the booking; `client` is
    staff's choice, among the clients they may see (NotFound otherwise)."""
    now = now or timezone.now()
    user = user if user is not None and user.is_authenticated else None
    if start.tzinfo is None:
        raise Invalid("Give the start time with its UTC offset.", field="start")
    # The re-check below runs after the previous writer for these specialists has committed.
    offering = offering_locked(service, specialist)
    if specialist is not None:
        if not offering:
            raise Invalid("That specialist does not offer this service.", field="specialist")
        specialist = offering[0]
    _release_expired_holds(specialists=offering, start=start, service=service, now=now)
    studio = Studio.get()  # read once, passed on: each Studio.get() is a query
    if override_reason:
        chosen = _check_override(user, specialist, override_reason)
        candidates = [] if _overlaps(chosen, service, start, now) else [chosen]
    else:
        candidates = selectors.slot_free_specialists(
            service=service, specialists=offering, start=start, now=now, studio=studio
        )
    if not candidates:
        raise Conflict(SLOT_TAKEN)
    # Who vouches for the client (care team, below): staff who chose a client they may see,
    # the client logged in, or a booking that created the client; never a typed address alone.
    vouched = created = False
    if client is not None:
        client = access.client_or_404(user, client.pk, field="client")
        vouched = True
    else:
        client, created = client_for_booking(
            user=user, name=name, email=email, phone=phone, tz=tz, studio=studio
        )
        vouched = created or client.user_id == getattr(user, "pk", None)
    if not override_reason:
        _check_may_book(service, client)
    end = start + service.duration
    blocked = blocked_interval(start, end, selectors.service_shape(service))
    amount_due = service.amount_due_at_booking
    payment_method = payment_method_for(amount_due)
    if pay_with == "credits":
        amount_due, payment_method = 0, Booking.PaymentMethod.CREDITS
    held = payment_method == Booking.PaymentMethod.STRIPE
    booking = None
    for i, candidate in enumerate(candidates):
        booking = Booking(
            client=client,
            specialist=candidate,
            service=service,
            start=start,
            end=end,
            blocked_start=blocked.start,
            blocked_end=blocked.end,
            status=Booking.Status.HELD if held else Booking.Status.CONFIRMED,
            hold_expires_at=now + timedelta(minutes=studio.hold_minutes) if held else None,
            price=service.price,
            amount_due=amount_due,
            currency=service.currency,
            payment_method=payment_method,
            notes=notes,
            created_by=user,
        )
        try:
            # A savepoint only to try the next of several candidates after a refusal.
            _save_guarded(booking, savepoint=len(candidates) > 1, force_insert=True)
            break
        except Conflict:
            # "Any specialist": someone took this one at the same moment; try the next.
            if i == len(candidates) - 1:
                raise
    assert booking is not None
    class_hooks.booking_inserted(booking)
    if pay_with == "credits":
        credit_consume(booking=booking, by=user, now=now)
    _changed(
        booking,
        "created",
        user,
        status=booking.status,
        start=start.isoformat(),
        **({"override_reason": override_reason[:500]} if override_reason else {}),
    )
    if vouched:
        care_team_join(
            client=client,
            specialist=booking.specialist,
            reason=CareTeamMember.Reason.BOOKED,
            by=user,
            new_client=created,
        )
    if booking.status == Booking.Status.CONFIRMED:
        reminders_schedule(booking, new=True, studio=studio)
        booking_notify_later(booking, "confirmed")
    return booking


def _check_override(
    user: User | None, specialist: SpecialistProfile | None, reason: str
) -> SpecialistProfile:
    """Only staff step outside the rules, for a named specialist, saying why; returns them."""
    if not _staff(user):
        raise NotAllowed("Only studio staff can book outside the booking rules.")
    if specialist is None:
        raise Invalid("Choose the specialist when booking outside the rules.", field="specialist")
    if not reason.strip():
        raise Invalid("Say why this booking steps outside the rules.", field="override_reason")
    return specialist


def _overlaps(
    specialist: SpecialistProfile,
    service: Service,
    start: datetime,
    now: datetime,
    exclude_booking: int | None = None,
) -> bool:
    """Whether another held or confirmed booking of the specialist takes any of this time
    (with buffers): the one rule an override never steps over."""
    blocked = blocked_interval(start, start + service.duration, selectors.service_shape(service))
    taken = Booking.objects.filter(
        selectors.blocking_bookings(now),
        specialist=specialist,
        blocked_start__lt=blocked.end,
        blocked_end__gt=blocked.start,
    )
    if exclude_booking is not None:
        taken = taken.exclude(pk=exclude_booking)
    return taken.exists()


def _release_expired_holds(
    *, specialists: list[SpecialistProfile], start: datetime, service: Service, now: datetime
) -> None:
    """Expire lapsed holds in the way of this slot: the constraint still counts them.

    Their ids in raw SQL (every booking asks, and almost always finds none); the rows are
    loaded only when there are some."""
    ids = [s.pk for s in specialists]
    if not ids:
        return
    blocked = blocked_interval(start, start + service.duration, selectors.service_shape(service))
    at = connection.ops.adapt_datetimefield_value
    lapsed = sql.rows(
        f"SELECT id FROM {sql.table(Booking)} WHERE specialist_id IN {sql.placeholders(ids)} "
        "AND status = %s AND hold_expires_at <= %s AND blocked_start < %s AND blocked_end > %s",
        [*ids, Booking.Status.HELD, at(now), at(blocked.end), at(blocked.start)],
    )
    for booking in Booking.objects.filter(pk__in=[pk for (pk,) in lapsed]) if lapsed else []:
        booking_expire_hold(booking=booking, now=now)


# --- state changes ----------------------------------------------------------------------------


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("service").get(pk=booking.pk)


@transaction.atomic
def booking_expire_hold(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Cancel a held booking whose hold has lapsed, freeing its slot; no-op otherwise.

    The one hold expiry (payments/transitions.py `booking_hold_expire`, also run by the release
    job), so a payment arriving late is recognised the same way whichever path freed the slot;
    here its open card payment is cancelled too, since someone else is taking the slot."""
    class_hooks.place_lock(booking)  # a class place: the class's lock first, as cancels take it
    booking = _locked(booking)
    if booking_hold_expire(booking=booking, now=now or timezone.now()):
        payment_on_cancel(booking, None)
    return booking


@transaction.atomic
def booking_reschedule(
    *,
    booking: Booking,
    start: datetime,
    by: User | None,
    now: datetime | None = None,
    override_reason: str = "",
) -> Booking:
    """Move a booking to another free slot of its specialist; raises Conflict if taken/ended.
    Staff giving an `override_reason` may move it outside hours and notice, never over
    another booking."""
    now = now or timezone.now()
    if start.tzinfo is None:
        raise Invalid("Give the start time with its UTC offset.", field="start")
    booking = _locked(booking)
    class_hooks.booking_may_move(booking)
    if booking.status not in Booking.BLOCKING:
        raise Conflict(f"A {booking.get_status_display().lower()} booking cannot be moved.")
    if not _staff(by) and booking.start <= now:
        raise Conflict("This booking has already started.")
    if start == booking.start:
        return booking
    service = booking.service
    lock_specialists([booking.specialist])
    _release_expired_holds(specialists=[booking.specialist], start=start, service=service, now=now)
    if override_reason:
        _check_override(by, booking.specialist, override_reason)
        free = not _overlaps(booking.specialist, service, start, now, exclude_booking=booking.pk)
    else:
        free = bool(
            selectors.slot_free_specialists(
                service=service,
                specialists=[booking.specialist],
                start=start,
                now=now,
                exclude_booking=booking.pk,
            )
        )
    if not free:
        raise Conflict(SLOT_TAKEN)
    old_start = booking.start
    blocked = blocked_interval(start, start + service.duration, selectors.service_shape(service))
    booking.start, booking.end = start, start + service.duration
    booking.blocked_start, booking.blocked_end = blocked.start, blocked.end
    booking.sequence += 1
    _save_guarded(
        booking,
        update_fields=["start", "end", "blocked_start", "blocked_end", "sequence", "updated"],
    )
    class_hooks.booking_moved(booking)
    _changed(
        booking,
        "rescheduled",
        by,
        old_start=old_start.isoformat(),
        new_start=start.isoformat(),
        **({"override_reason": override_reason[:500]} if override_reason else {}),
    )
    reminders_schedule(booking)
    if booking.status == Booking.Status.CONFIRMED:
        booking_notify_later(booking, "rescheduled")
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User | None, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel a booking; inside the studio's window a client's cancel is marked late.
    Raises Conflict if it is already cancelled, over, or (for a client) already started."""
    now = now or timezone.now()
    class_hooks.place_lock(booking)
    booking = _locked(booking)
    if booking.status == Booking.Status.CANCELLED:
        raise Conflict("This booking is already cancelled.")
    if booking.status not in Booking.BLOCKING:
        raise Conflict(f"A {booking.get_status_display().lower()} booking cannot be cancelled.")
    staff = _staff(by)
    if not staff and booking.start <= now:
        raise Conflict("This booking has already started.")
    window = timedelta(hours=Studio.get().cancellation_window_hours)
    # Lateness is the client's; when the studio cancels, it is never late.
    booking.late_cancellation = not staff and booking.start - now < window
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.hold_expires_at = None
    booking.sequence += 1
    booking.save(
        update_fields=[
            "status",
            "cancelled_at",
            "late_cancellation",
            "hold_expires_at",
            "sequence",
            "updated",
        ]
    )
    payment_on_cancel(booking, by)
    credits_on_cancel(booking=booking, by=by)
    reminders_cancel(booking)
    _changed(
        booking,
        "cancelled",
        by,
        late=booking.late_cancellation,
        by_studio=staff,
        reason=reason[:500],
    )
    booking_notify_later(booking, "cancelled")
    class_hooks.booking_freed(booking, now)
    return booking


MARKABLE = (Booking.Status.COMPLETED, Booking.Status.NO_SHOW)


@transaction.atomic
def booking_mark(
    *, booking: Booking, status: str, by: User, now: datetime | None = None
) -> Booking:
    """Staff record how a started session went (completed / no-show). Raises NotAllowed, Conflict."""
    now = now or timezone.now()
    if not _staff(by):
        raise NotAllowed("Only studio staff can mark a session.")
    if status not in MARKABLE:
        raise Invalid("Mark a session 'completed' or 'no_show'.", field="status")
    booking = _locked(booking)
    if booking.status == status:
        return booking
    if booking.status not in (Booking.Status.CONFIRMED, *MARKABLE):
        raise Conflict(f"A {booking.get_status_display().lower()} booking cannot be marked.")
    if booking.start > now:
        raise Conflict("This session has not started yet.")
    old = booking.status
    booking.status = status
    booking.sequence += 1
    booking.save(update_fields=["status", "sequence", "updated"])
    _changed(booking, status, by, previous=old)
    return booking
