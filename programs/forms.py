"""Page forms: the exercise editor, starting a program, the practice log."""

from django import forms

from accounts import access
from accounts.models import ClientProfile
from studio.kernel.fields import validate_supported_date

from .models import Exercise, ProgramTemplate


class LinesField(forms.CharField):
    """A list of strings edited as a textarea, one per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]


class ExerciseForm(forms.ModelForm):
    instructions = LinesField(help_text="One step per line, in order.")
    cues = LinesField(required=False, help_text="One cue per line, in order.")
    common_mistakes = LinesField(required=False, help_text="One per line.")
    media_url = forms.URLField(required=False, assume_scheme="https", label="Image or video URL")

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "summary",
            "instructions",
            "cues",
            "common_mistakes",
            "feel_it",
            "position",
            "difficulty",
            "regions",
            "equipment",
            "sets",
            "reps",
            "hold_seconds",
            "breaths",
            "per_side",
            "contraindications",
            "progressions",
            "media_url",
            "is_active",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "feel_it": forms.Textarea(attrs={"rows": 2}),
            "regions": forms.CheckboxSelectMultiple,
            "equipment": forms.CheckboxSelectMultiple,
            "contraindications": forms.CheckboxSelectMultiple,
            "progressions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        others = Exercise.objects.filter(is_active=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["progressions"].queryset = others
        self.fields["progressions"].help_text = "Harder versions to move on to."
        self.fields[
            "contraindications"
        ].help_text = "Conditions for which the builder warns before this exercise is added."


class NewProgramForm(forms.Form):
    client = forms.ModelChoiceField(
        queryset=ClientProfile.objects.none(), empty_label="Choose a client"
    )
    template = forms.ModelChoiceField(
        queryset=ProgramTemplate.objects.filter(is_active=True),
        required=False,
        empty_label="Start from scratch",
        widget=forms.RadioSelect,
    )
    title = forms.CharField(
        max_length=120, required=False, help_text="Leave empty to use the template's title."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the clients this person may see (accounts/access.py) are offered or accepted.
        self.fields["client"].queryset = (  # type: ignore[attr-defined]
            access.clients_visible_to(user).filter(erased_at=None).select_related("user")
        )


class PracticeLogForm(forms.Form):
    date = forms.DateField(
        validators=[validate_supported_date], widget=forms.DateInput(attrs={"type": "date"})
    )
    completed_items = forms.TypedMultipleChoiceField(
        coerce=int, required=False, widget=forms.CheckboxSelectMultiple, label="Exercises done"
    )
    pain = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")]
        + [(n, f"{n}{' (none)' if n == 0 else ' (worst)' if n == 10 else ''}") for n in range(11)],
        label="Pain today (0-10)",
    )
    difficulty = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 11)],
        label="How hard did it feel (1-10)",
    )
    comment = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_items"].choices = [
            (item.pk, f"{item.exercise.name} ({item.dosage_text})") for item in items
        ]


class ProgramDetailsForm(forms.Form):
    """The builder's program-level fields, and the reason for changing an active program."""

    title = forms.CharField(max_length=120)
    goal = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    start_date = forms.DateField(
        required=False,
        validators=[validate_supported_date],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    weekly_frequency = forms.TypedChoiceField(
        coerce=int, choices=[(n, f"{n}× a week") for n in range(1, 8)], label="Practice"
    )
    reason = forms.CharField(
        required=False,
        max_length=1000,
        label="Reason for this change",
        help_text="Saved with the new version; the client sees the current version.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
