"""Staff book for a client (/studio/book/) and move a booking from its page.

The form's time is a wall-clock time in the zone shown beside it (the schedule's zone when the
page is opened by selecting an empty time on the schedule, else the specialist's). Outside
hours, notice, horizon or clients-only rules the service answers "taken" unless an override
reason is given; over another booking it refuses either way.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import ClientProfile, SpecialistProfile, Studio, User
from accounts.views.access import staff_required
from studio.kernel.errors import Conflict, DomainError, NotFound

from .. import selectors, services
from ..models import Service

OVERRIDE_HINT = (
    " If this time is outside working hours or the notice period on purpose, give a reason "
    "to step outside the rules."
)


class WhenField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300})


def _aware(naive: datetime, zone_name: str) -> datetime:
    """The form's wall-clock time in its zone (a gap time moves forward, as slots do)."""
    zone = ZoneInfo(zone_name)
    return naive.replace(tzinfo=None, fold=0).replace(tzinfo=zone)


class StaffBookForm(forms.Form):
    client = forms.ModelChoiceField(queryset=ClientProfile.objects.none(), label="Client")
    service = forms.ModelChoiceField(queryset=Service.objects.none(), label="Service")
    specialist = forms.ModelChoiceField(
        queryset=SpecialistProfile.objects.none(), label="Specialist"
    )
    start = WhenField(label="Starts")
    tz = forms.CharField(widget=forms.HiddenInput)
    notes = forms.CharField(required=False, max_length=2000, label="Note (optional)")
    override_reason = forms.CharField(
        required=False, max_length=500, label="Reason to step outside the rules (optional)"
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        clients = access.clients_visible_to(user).filter(erased_at__isnull=True)
        choices = {
            "client": clients.select_related("user"),
            "service": selectors.service_list(),
            "specialist": SpecialistProfile.objects.filter(
                is_active=True, user__is_active=True
            ).select_related("user"),
        }
        for name, queryset in choices.items():
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset

    def clean_tz(self):
        return selectors.zone_or_invalid(self.cleaned_data["tz"]).key


@staff_required
def staff_book(request):
    """Book a client into a time: from the client file (?client=) or the schedule (?start=)."""
    user = request.user
    own = access.specialist_profile(user)
    initial = {
        "client": request.GET.get("client"),
        "specialist": request.GET.get("specialist") or (own.pk if own else None),
        "start": request.GET.get("start"),
        "tz": _zone(request.GET.get("tz"), own),
    }
    form = StaffBookForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking, _ = services.booking_create(
                service=data["service"],
                specialist=data["specialist"],
                start=_aware(data["start"], data["tz"]),
                user=user,
                client=data["client"],
                notes=data["notes"],
                override_reason=data["override_reason"].strip(),
            )
        except DomainError as exc:
            hint = (
                OVERRIDE_HINT if isinstance(exc, Conflict) and not data["override_reason"] else ""
            )
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail + hint)
        else:
            messages.success(request, f"Booked {booking.client.name}.")
            return redirect("booking-staff", pk=booking.pk)
    return render(request, "bookings/desk/staff_book.html", {"form": form})


def _zone(name: str | None, own: SpecialistProfile | None) -> str:
    try:
        return selectors.zone_or_invalid(name or "").key
    except DomainError:
        return own.timezone if own else Studio.get().timezone


class RescheduleForm(forms.Form):
    start = WhenField(label="New start")
    tz = forms.CharField(widget=forms.HiddenInput)
    override_reason = forms.CharField(
        required=False, max_length=500, label="Reason to step outside the rules (optional)"
    )


@staff_required
@require_POST
def staff_reschedule(request, pk: int):
    """Move a booking from its staff page; errors come back as messages there."""
    try:
        booking = selectors.booking_get_for(pk=pk, user=request.user)
    except NotFound as exc:
        raise Http404("No such booking.") from exc
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the new date and time.")
        return redirect("booking-staff", pk=pk)
    data = form.cleaned_data
    reason = data["override_reason"].strip()
    try:
        services.booking_reschedule(
            booking=booking,
            start=_aware(data["start"], _zone(data["tz"], None)),
            by=request.user,
            override_reason=reason,
        )
    except DomainError as exc:
        hint = OVERRIDE_HINT if isinstance(exc, Conflict) and not reason else ""
        messages.error(request, exc.detail + hint)
    else:
        messages.success(request, "Booking moved; the client has been told.")
    return redirect("booking-staff", pk=pk)
