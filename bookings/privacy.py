"""The bookings part of a client's export and erasure (receivers of accounts.signals).

Export: every booking with its times, service, specialist, status, notes, history and payments.
Erase: the free text (booking notes, cancellation and refund reasons) is blanked; times,
amounts, payments and refunds stay so the studio's accounting still adds up.
"""

from accounts.models import ClientProfile, Studio

from .models import Booking, BookingEvent, Refund
from .money import booking_money

FREE_TEXT_KEYS = ("reason", "note", "notes")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _payment(p) -> dict:
    return {
        "payment_intent": p.payment_intent,
        "amount": p.amount,
        "currency": p.currency,
        "status": p.status,
        "amount_refunded": p.amount_refunded,
        "paid_at": _iso(p.paid_at),
        "refunds": [
            {"amount": r.amount, "reason": r.reason, "created": _iso(r.created)}
            for r in p.refunds.all()
        ],
    }


def bookings_export(*, client: ClientProfile) -> dict:
    """The client's bookings as JSON-ready data (constant query count)."""
    bookings = (
        Booking.objects.filter(client=client)
        .select_related("service", "specialist__user")
        .prefetch_related("payments__refunds", "desk_payments", "events")
        .order_by("start", "pk")
    )
    fee = Studio.get().late_cancel_fee
    return {
        "bookings": [
            {
                "id": b.pk,
                "service": b.service.name,
                "specialist": b.specialist.name,
                "start": _iso(b.start),
                "end": _iso(b.end),
                "status": b.status,
                "price": b.price,
                "amount_due": b.amount_due,
                "currency": b.currency,
                "payment_method": b.payment_method,
                "money": booking_money(b, late_cancel_fee=fee).as_dict(),
                "notes": b.notes,
                "late_cancellation": b.late_cancellation,
                "cancelled_at": _iso(b.cancelled_at),
                "created": _iso(b.created),
                "history": [
                    {"at": _iso(e.created), "kind": e.kind, "data": e.data} for e in b.events.all()
                ],
                "payments": [_payment(p) for p in b.payments.all()],
            }
            for b in bookings
        ]
    }


def bookings_erase(*, client: ClientProfile) -> int:
    """Blank the free text of the client's bookings; returns how many bookings were touched."""
    count = Booking.objects.filter(client=client).update(notes="")
    Refund.objects.filter(payment__booking__client=client).exclude(reason="").update(reason="")
    for event in BookingEvent.objects.filter(booking__client=client).only("pk", "data"):
        if isinstance(event.data, dict) and any(event.data.get(k) for k in FREE_TEXT_KEYS):
            event.data = {k: ("" if k in FREE_TEXT_KEYS else v) for k, v in event.data.items()}
            event.save(update_fields=["data"])
    return count


def on_client_export(sender, client, **kwargs) -> dict:
    return bookings_export(client=client)


def on_client_erase(sender, client, **kwargs) -> None:
    bookings_erase(client=client)
