from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator

from studio.kernel.fields import validate_supported_date

from .addresses import EmailAddressFormField
from .models import Condition, ContactMethod, SpecialistProfile
from .zones import ZoneField


class LoginForm(AuthenticationForm):
    username = EmailAddressFormField(
        label="Email", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordResetRequestForm(PasswordResetForm):
    """The address to send a reset link to, normalised; the look-up is the worker's
    (accounts/passwords.py), so this form's save() is never called."""

    email = EmailAddressFormField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


# --- enquiries and clients -------------------------------------------------------------------

REGIONS_FALLBACK = [
    ("feet and ankles", "Feet and ankles"),
    ("knees", "Knees"),
    ("hips", "Hips"),
    ("pelvis and pelvic floor", "Pelvis and pelvic floor"),
    ("back", "Back"),
    ("neck and shoulders", "Neck and shoulders"),
]


class EnquiryForm(forms.Form):
    """The public enquiry form (the API serializer holds the same rules for JSON)."""

    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = EmailAddressFormField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    preferred_contact = forms.ChoiceField(
        label="How should we reply?",
        choices=ContactMethod.choices,
        initial=ContactMethod.EMAIL,
        widget=forms.RadioSelect,
    )
    concerns = forms.MultipleChoiceField(
        label="What would you like help with?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_concern = forms.CharField(
        label="Something else",
        max_length=120,
        required=False,
        help_text="For example: sore feet after walking.",
    )
    message = forms.CharField(
        label="Your message",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Tell us what is going on and what you would like to be able to do.",
    )
    consent = forms.BooleanField(
        label="I agree to the studio storing the health information I send, to answer me and "
        "plan my sessions.",
        error_messages={"required": "Please agree so we can keep your message."},
    )
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, concern_choices=None, message_max_length=5000, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = concern_choices or REGIONS_FALLBACK
        self.fields["message"].max_length = message_max_length
        self.fields["message"].validators.append(MaxLengthValidator(message_max_length))
        self.fields["message"].widget.attrs["maxlength"] = str(message_max_length)

    def concerns_list(self) -> list[str]:
        items = list(self.cleaned_data.get("concerns") or [])
        other = self.cleaned_data.get("other_concern", "").strip()
        return items + ([other] if other else [])


class ContactForm(forms.Form):
    """What a client may change about themselves."""

    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150, required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False)
    preferred_contact = forms.ChoiceField(
        label="Preferred contact", choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    timezone = ZoneField()


class StaffClientForm(ContactForm):
    """What staff may change on a client record."""

    date_of_birth = forms.DateField(
        required=False,
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    goals = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.ModelMultipleChoiceField(
        queryset=Condition.objects.all(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
    )
    assigned_specialist = forms.ModelChoiceField(
        queryset=SpecialistProfile.objects.select_related("user"), required=False
    )
    staff_notes = forms.CharField(
        label="Staff notes", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class IntakeConsentForm(forms.Form):
    """The signature block under the intake questions."""

    signature_name = forms.CharField(
        label="Type your full name to sign",
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    consent = forms.BooleanField(
        label="My answers are true to the best of my knowledge, and I agree to the studio storing "
        "them to plan safe sessions for me.",
        error_messages={"required": "Please confirm and agree to continue."},
    )
