"""The desk forms of the staff booking page: record a payment taken, or money given back."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.views.access import staff_required
from studio.kernel.errors import DomainError, NotFound

from .. import selectors
from ..templatetags.payments_money import format_money
from .forms import DeskMoneyForm
from .services import desk_payment_record, desk_refund_record

RECORDERS = {"payment": desk_payment_record, "refund": desk_refund_record}
DONE = {
    "payment": "Recorded {amount} taken at the studio.",
    "refund": "Recorded {amount} given back.",
}


@staff_required
@require_POST
def desk_record(request, pk: int, kind: str):
    """POST the desk form; errors come back as messages on the booking page."""
    try:
        booking = selectors.booking_get_for(pk=pk, user=request.user)
    except NotFound as exc:
        raise Http404("No such booking.") from exc
    form = DeskMoneyForm(request.POST)
    amount = form.minor(booking.currency) if form.is_valid() else 0
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("booking-staff", pk=pk)
    try:
        RECORDERS[kind](
            booking=booking,
            amount=amount,
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        shown = format_money(amount, booking.currency)
        messages.success(request, DONE[kind].format(amount=shown))
    return redirect("booking-staff", pk=pk)
