"""Forms of the settings pages: money in currency units (95.00), turned into minor units by
bookings/money.py; everything else is checked again by the services."""

from decimal import Decimal

from django import forms

from accounts.models import SpecialistProfile, Studio
from bookings.models import Service


def money_field(**kwargs) -> forms.DecimalField:
    """An amount in currency units (95.00), never negative."""
    return forms.DecimalField(min_value=Decimal("0"), max_digits=10, decimal_places=2, **kwargs)


class StudioForm(forms.Form):
    name = forms.CharField(max_length=120)
    tagline = forms.CharField(required=False, max_length=200)
    address = forms.CharField(required=False, max_length=300)
    phone = forms.CharField(required=False, max_length=40)
    email = forms.EmailField(required=False, label="Contact e-mail")
    timezone = forms.CharField(max_length=64, help_text="An IANA zone, e.g. America/New_York.")
    currency = forms.CharField(max_length=3, help_text="ISO code, e.g. USD.")


class PolicyForm(forms.Form):
    cancellation_window_hours = forms.IntegerField(
        min_value=0, label="Cancellation window (hours before the session)"
    )
    late_cancel_fee = money_field(label="Late-cancel and no-show fee")
    late_cancel_refund = forms.ChoiceField(
        choices=Studio.RefundPolicy.choices, label="Card refund on a late cancellation"
    )
    reminder_offsets = forms.CharField(
        required=False,
        label="Reminders (minutes before, comma separated)",
        help_text="e.g. 1440, 120 for a day and two hours before.",
    )
    min_notice_hours = forms.IntegerField(min_value=0, label="Minimum notice (hours)")
    booking_horizon_days = forms.IntegerField(min_value=1, label="Book up to (days ahead)")
    slot_granularity_minutes = forms.IntegerField(min_value=1, label="Slots every (minutes)")
    hold_minutes = forms.IntegerField(min_value=1, label="Hold unpaid bookings (minutes)")

    def clean_reminder_offsets(self) -> list[int]:
        raw = [part.strip() for part in self.cleaned_data["reminder_offsets"].split(",")]
        try:
            return [int(part) for part in raw if part]
        except ValueError as exc:
            raise forms.ValidationError("Give whole minutes separated by commas.") from exc


class ServiceForm(forms.Form):
    name = forms.CharField(max_length=120)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    duration_minutes = forms.IntegerField(min_value=5, max_value=24 * 60, label="Minutes")
    buffer_before_minutes = forms.IntegerField(min_value=0, initial=0, label="Buffer before")
    buffer_after_minutes = forms.IntegerField(min_value=0, initial=0, label="Buffer after")
    price = money_field()
    deposit = money_field(
        required=False, help_text="Taken online at booking; empty or 0: the full price."
    )
    specialists = forms.ModelMultipleChoiceField(
        queryset=SpecialistProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clients_only = forms.BooleanField(required=False, label="Existing clients only")
    intake_required = forms.BooleanField(required=False, label="Intake form required first")
    is_active = forms.BooleanField(required=False, initial=True, label="Bookable")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["specialists"].queryset = SpecialistProfile.objects.filter(
            is_active=True
        ).select_related("user")

    @staticmethod
    def initial_for(service: Service, major) -> dict:
        return {
            "name": service.name,
            "description": service.description,
            "duration_minutes": service.duration_minutes,
            "buffer_before_minutes": service.buffer_before_minutes,
            "buffer_after_minutes": service.buffer_after_minutes,
            "price": major(service.price),
            "deposit": major(service.deposit),
            "specialists": list(service.specialists.values_list("pk", flat=True)),
            "clients_only": service.audience == Service.Audience.EXISTING,
            "intake_required": service.intake_required,
            "is_active": service.is_active,
        }


class InviteForm(forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(label="E-mail")
    role = forms.ChoiceField(
        choices=[("specialist", "Specialist"), ("owner", "Owner")], initial="specialist"
    )
