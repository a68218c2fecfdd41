"""Pages: the pay page (Stripe's Payment Element), its status poll, staff payments + refund."""

from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import Studio
from bookings.links import manage_path
from bookings.models import Booking, Payment
from bookings.payments.refunds import payment_refund_staff
from bookings.payments.services import pay_url, payment_ensure, stripe_enabled
from bookings.payments.stripe_client import StripeUnavailable
from bookings.payments.sync import payment_sync
from bookings.selectors import booking_get_for, booking_viewer_zone
from bookings.templatetags.payments_money import format_money, minor_per_major
from studio.kernel.errors import DomainError, NotFound


def _booking(token: str) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("service", "specialist__user", "client__user"),
        manage_token=token,
    )


def _latest_payment(booking: Booking) -> Payment | None:
    return booking.payments.order_by("-created", "-pk").first()


def _sync_quietly(payment: Payment | None) -> None:
    """Re-read the intent from Stripe (the client says it paid); an outage just waits."""
    if payment is not None and payment.status in (Payment.Status.PENDING, Payment.Status.FAILED):
        try:
            payment_sync(payment=payment)
        except StripeUnavailable:
            pass


def pay_state(booking: Booking, payment: Payment | None, now) -> str:
    """Which face the pay page shows."""
    if booking.status in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED):
        return "confirmed"
    if booking.status != Booking.Status.HELD:
        return "cancelled"
    if booking.payment_method == Booking.PaymentMethod.IN_STUDIO or not stripe_enabled():
        return "in_studio"
    if booking.hold_expires_at and booking.hold_expires_at <= now:
        return "expired"
    payable = (
        payment is not None
        and payment.status in (Payment.Status.PENDING, Payment.Status.FAILED)
        and bool(payment.client_secret)
    )
    return "pay" if payable else "unavailable"


@never_cache
def pay(request, token: str):
    """The holder of the link pays the amount due; then the page shows the confirmed booking."""
    booking = _booking(token)
    now = timezone.now()
    if booking.status == Booking.Status.HELD and stripe_enabled():
        if request.GET.get("payment_intent"):  # back from a payment method that redirects
            _sync_quietly(_latest_payment(booking))
            booking.refresh_from_db()
        if booking.status == Booking.Status.HELD and (booking.hold_expires_at or now) > now:
            payment_ensure(booking=booking)
    payment = _latest_payment(booking)
    zone = ZoneInfo(booking_viewer_zone(booking, request.user) or Studio.get().timezone)
    context = {
        "booking": booking,
        "payment": payment,
        "state": pay_state(booking, payment, now),
        "zone": zone,
        "rest_at_studio": max(0, booking.price - booking.amount_due),
        "refunded": sum(p.amount_refunded for p in booking.payments.all()),
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "return_url": pay_url(booking),
        "manage_url": manage_path(booking),
    }
    return render(request, "bookings/payments/pay.html", context)


@never_cache
@require_GET
def pay_status(request, token: str):
    """JSON for the pay page's poll; `?check=1` re-reads the intent from Stripe first."""
    booking = _booking(token)
    if request.GET.get("check") and booking.status == Booking.Status.HELD and stripe_enabled():
        _sync_quietly(_latest_payment(booking))
        booking.refresh_from_db()
    payment = _latest_payment(booking)
    return JsonResponse({"status": booking.status, "payment": payment.status if payment else None})


def _parse_amount(raw: str, currency: str) -> int | None:
    raw = (raw or "").strip().replace(",", "")
    if not raw:
        return None
    try:
        value = Decimal(raw) * minor_per_major(currency)
    except InvalidOperation:
        return -1
    return int(value) if value == value.to_integral_value() else -1


@login_required
@never_cache
def booking_payments(request, booking_id: int):
    """Staff: a booking's payments and refunds (those who may see its client: the owner, the
    client's care team), with a refund form (the owner or the booking's specialist refund)."""
    user = request.user
    if not user.is_studio_staff:
        raise Http404("No such booking.")
    try:
        booking = booking_get_for(pk=booking_id, user=user)
    except NotFound as exc:
        raise Http404("No such booking.") from exc
    payments = list(booking.payments.prefetch_related("refunds__by").order_by("created", "pk"))
    if request.method == "POST":
        payment = get_object_or_404(Payment, pk=request.POST.get("payment"), booking=booking)
        amount = _parse_amount(request.POST.get("amount", ""), payment.currency)
        try:
            if amount is not None and amount <= 0:
                raise DomainError("Enter an amount such as 20.00.")
            if request.POST.get("confirm") != "yes":
                raise DomainError("Tick the box to confirm the refund.")
            result = payment_refund_staff(
                payment=payment, by=user, amount=amount, reason=request.POST.get("reason", "")
            )
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            shown = format_money(result["amount"], payment.currency)
            if result["status"] == "queued":
                messages.warning(request, f"Stripe is unreachable; the {shown} refund is queued.")
            else:
                messages.success(request, f"Refunded {shown}.")
        return redirect("payments-booking", booking_id=booking.pk)
    own = getattr(user, "specialist", None) if user.role == "specialist" else None
    zone = ZoneInfo(own.timezone if own else Studio.get().timezone)
    return render(
        request,
        "bookings/payments/booking_payments.html",
        {
            "booking": booking,
            "payments": payments,
            "zone": zone,
            "events": booking.events.select_related("by").order_by("-created", "-pk")[:20],
        },
    )
