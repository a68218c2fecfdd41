"""Forms of the booking pages: the guest's details and the staff availability settings."""

from django import forms

from accounts.addresses import EmailAddressFormField
from accounts.models import Studio
from studio.kernel.fields import validate_supported_date

from .models import DateOverride

WEEKDAYS = [
    (i, n)
    for i, n in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
]


class BookingDetailsForm(forms.Form):
    """Step 4 of /book/: who is coming. Name and e-mail are asked only of guests."""

    name = forms.CharField(label="Your name", max_length=150, required=False)
    email = EmailAddressFormField(label="Email", required=False)
    phone = forms.CharField(label="Phone (optional)", max_length=40, required=False)
    notes = forms.CharField(
        label="Anything we should know before the session? (optional)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, guest: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.guest = guest
        if guest:
            self.fields["name"].required = True
            self.fields["email"].required = True
            self.fields["name"].widget.attrs["autocomplete"] = "name"
            self.fields["email"].widget.attrs["autocomplete"] = "email"
            self.fields["phone"].widget.attrs["autocomplete"] = "tel"
        else:
            del self.fields["name"], self.fields["email"]


class WeeklyHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAYS, coerce=int)
    start = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="To", widget=forms.TimeInput(attrs={"type": "time"}))


class DateOverrideForm(forms.Form):
    day = forms.DateField(
        label="Date",
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    kind = forms.ChoiceField(label="What", choices=DateOverride.Kind.choices)
    start = forms.TimeField(
        label="From", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label="To", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    note = forms.CharField(label="Note", max_length=200, required=False)


class ClosureForm(forms.Form):
    start = forms.DateTimeField(
        label="Closed from",
        validators=[validate_supported_date],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    end = forms.DateTimeField(
        label="Until",
        validators=[validate_supported_date],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reason = forms.CharField(label="Reason", max_length=200, required=False)


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Studio
        fields = [
            "min_notice_hours",
            "booking_horizon_days",
            "slot_granularity_minutes",
            "hold_minutes",
            "cancellation_window_hours",
        ]
        labels = {
            "min_notice_hours": "Minimum notice (hours)",
            "booking_horizon_days": "Book up to (days ahead)",
            "slot_granularity_minutes": "Slots start every (minutes)",
            "hold_minutes": "Unpaid holds last (minutes)",
            "cancellation_window_hours": "Late cancellation inside (hours)",
        }
