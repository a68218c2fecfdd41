"""Form for connecting a calendar on the calendar settings page."""

from django import forms
from django.core.validators import URLValidator

from bookings.calendars.outbound import AddressRefused, check_url, web_url
from bookings.models import CalendarConnection


class CalendarConnectionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CalendarConnection.Kind.choices,
        initial=CalendarConnection.Kind.CALDAV,
        widget=forms.RadioSelect,
        label="Type",
    )
    url = forms.CharField(
        max_length=500,
        label="Calendar address",
        help_text="CalDAV: the calendar's address (or your account's). "
        "ICS: the https:// or webcal:// address of the calendar.",
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )
    name = forms.CharField(max_length=120, required=False, label="Name (optional)")
    username = forms.CharField(
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    password = forms.CharField(
        max_length=500,
        required=False,
        strip=False,
        label="Password or app password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    push_bookings = forms.BooleanField(
        required=False, initial=True, label="Add my bookings to this calendar (CalDAV only)"
    )

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # Pico marks the field red
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"id_{name}-error"}
                )

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        url = web_url(url)
        URLValidator(schemes=["http", "https"], message="Enter an http(s) or webcal address.")(url)
        try:
            check_url(url)  # checked again before every fetch: DNS can change meanwhile
        except AddressRefused as exc:
            raise forms.ValidationError(str(exc), code="address_refused") from exc
        return url
