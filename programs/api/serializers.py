"""Shapes of the programs API: catalog rows, programs with items and warnings, practice logs."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts import access
from accounts.models import ClientProfile
from studio.kernel import fields

from ..models import (
    BREATHS_MAX,
    HOLD_MAX,
    REPS_MAX,
    SETS_MAX,
    Exercise,
    PracticeLog,
    Program,
    ProgramItem,
    ProgramTemplate,
    ProgramVersion,
    TemplateItem,
)
from ..practice import practice_weekdays, visible_items


def id_field(**kwargs) -> serializers.IntegerField:
    return fields.IdField(**kwargs)


# --- catalog ---------------------------------------------------------------------------------


class ConditionRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class ExerciseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class ExerciseRowSerializer(serializers.ModelSerializer):
    regions: serializers.Field = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    equipment: serializers.Field = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    dosage_text = serializers.CharField(read_only=True)

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "name",
            "summary",
            "regions",
            "equipment",
            "position",
            "difficulty",
            "sets",
            "reps",
            "hold_seconds",
            "breaths",
            "per_side",
            "dosage_text",
            "media_url",
        ]


class ExerciseDetailSerializer(ExerciseRowSerializer):
    instructions = serializers.ListField(child=serializers.CharField(), read_only=True)
    cues = serializers.ListField(child=serializers.CharField(), read_only=True)
    common_mistakes = serializers.ListField(child=serializers.CharField(), read_only=True)
    contraindications = ConditionRefSerializer(many=True, read_only=True)
    progressions = ExerciseRefSerializer(many=True, read_only=True)
    regressions = ExerciseRefSerializer(many=True, read_only=True)

    class Meta(ExerciseRowSerializer.Meta):
        fields = ExerciseRowSerializer.Meta.fields + [
            "instructions",
            "cues",
            "common_mistakes",
            "feel_it",
            "contraindications",
            "progressions",
            "regressions",
        ]


class ExerciseQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Words in the name or summary"
    )
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Body region slug, e.g. calves"
    )
    equipment = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Equipment slug, e.g. strap"
    )
    position = serializers.ChoiceField(
        choices=Exercise.Position.choices, required=False, allow_blank=True
    )
    difficulty = serializers.ChoiceField(choices=Exercise.Difficulty.choices, required=False)


# --- programs: output ------------------------------------------------------------------------

_ITEM_FIELDS = [
    "id",
    "position",
    "exercise",
    "exercise_name",
    "exercise_slug",
    "sets",
    "reps",
    "hold_seconds",
    "breaths",
    "per_side",
    "dosage_text",
    "cue",
    "days",
]


class ProgramItemSerializer(serializers.ModelSerializer):
    exercise = serializers.IntegerField(source="exercise_id", read_only=True)
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    exercise_slug = serializers.CharField(source="exercise.slug", read_only=True)
    dosage_text = serializers.CharField(read_only=True)
    days = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ProgramItem
        fields = _ITEM_FIELDS


class WarningSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    position = serializers.IntegerField()
    exercise = serializers.IntegerField()
    exercise_name = serializers.CharField()
    conditions = ConditionRefSerializer(many=True)
    reason = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ProgramSerializer(serializers.ModelSerializer):
    """A program; `warnings` lists contraindicated items (staff only; empty for the client), and
    a client sees only the items that reached them."""

    client = serializers.IntegerField(source="client_id", read_only=True)
    client_name = serializers.CharField(source="client.name", read_only=True)
    specialist = serializers.IntegerField(source="specialist_id", read_only=True, allow_null=True)
    specialist_name = serializers.SerializerMethodField()
    template = serializers.IntegerField(source="template_id", read_only=True, allow_null=True)
    practice_days = serializers.SerializerMethodField()
    items = serializers.SerializerMethodField()
    warnings = serializers.SerializerMethodField()

    class Meta:
        model = Program
        fields = [
            "id",
            "client",
            "client_name",
            "specialist",
            "specialist_name",
            "template",
            "title",
            "goal",
            "status",
            "start_date",
            "weekly_frequency",
            "practice_days",
            "version",
            "published_at",
            "created",
            "updated",
            "items",
            "warnings",
        ]

    def _staff(self) -> bool:
        return self.context["request"].user.is_studio_staff

    def get_specialist_name(self, program) -> str | None:
        return program.specialist.name if program.specialist else None

    def get_practice_days(self, program) -> list[int]:
        return practice_weekdays(program)

    @extend_schema_field(ProgramItemSerializer(many=True))
    def get_items(self, program):
        items = program.items.all() if self._staff() else visible_items(program)
        return ProgramItemSerializer(items, many=True).data

    @extend_schema_field(WarningSerializer(many=True))
    def get_warnings(self, program):
        if not self._staff():
            return []
        return self.context["warnings"].get(program.pk, [])


class ProgramVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = ProgramVersion
        fields = ["number", "reason", "created", "created_by", "snapshot"]

    def get_created_by(self, version) -> str | None:
        return version.created_by.name if version.created_by else None


class TemplateItemSerializer(serializers.ModelSerializer):
    exercise_name = serializers.CharField(source="exercise.name", read_only=True)
    days = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = TemplateItem
        fields = ["exercise", "exercise_name", "sets", "reps", "hold_seconds", "breaths"]
        fields += ["per_side", "cue", "days"]


class ProgramTemplateSerializer(serializers.ModelSerializer):
    items = TemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = ProgramTemplate
        fields = ["id", "slug", "title", "goal", "weekly_frequency", "items"]


# --- programs: input -------------------------------------------------------------------------


class NewItemSerializer(serializers.Serializer):
    exercise = id_field()
    sets = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=SETS_MAX
    )
    reps = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=REPS_MAX
    )
    hold_seconds = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=HOLD_MAX
    )
    breaths = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=BREATHS_MAX
    )
    per_side = serializers.BooleanField(required=False, allow_null=True, default=None)
    cue = serializers.CharField(required=False, allow_blank=True, max_length=500)
    days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        max_length=7,
        help_text="Weekdays, 0 = Monday ... 6 = Sunday; empty = every practice day.",
    )
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Why a contraindicated exercise is kept; stored with the item.",
    )


class ItemInputSerializer(NewItemSerializer):
    id = id_field(required=False, help_text="An existing item of this program, to keep it.")


def _resolve_exercises(rows: list[dict], allowed_extra: set[int]) -> list[dict]:
    """Swap exercise ids for Exercise rows (one query); field errors point at the item."""
    ids = {row["exercise"] for row in rows}
    found = {
        e.pk: e
        for e in Exercise.objects.filter(pk__in=ids).prefetch_related("contraindications")
        if e.is_active or e.pk in allowed_extra
    }
    errors = [
        {"exercise": ["No such exercise in the catalog."]} if row["exercise"] not in found else {}
        for row in rows
    ]
    if any(errors):
        raise serializers.ValidationError({"items": errors})
    return [{**row, "exercise": found[row["exercise"]]} for row in rows]


class ProgramCreateSerializer(serializers.Serializer):
    client = id_field(help_text="The client's id (/api/clients/).")
    title = serializers.CharField(max_length=120)
    goal = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    template = id_field(required=False, allow_null=True)
    status = serializers.ChoiceField(
        choices=[Program.Status.ACTIVE, Program.Status.DRAFT], default=Program.Status.ACTIVE
    )
    start_date = fields.DateField(required=False, allow_null=True)
    weekly_frequency = serializers.IntegerField(required=False, min_value=1, max_value=7)
    items: serializers.ListSerializer = serializers.ListSerializer(
        child=NewItemSerializer(),
        required=False,
        max_length=60,
        help_text="Leave out to copy the template's.",
    )

    def validate_client(self, value):
        # One answer (404) for a client that does not exist and one the caller may not see.
        user = self.context["request"].user
        return access.client_or_404(
            user, value, ClientProfile.objects.select_related("user"), field="client"
        )

    def validate_template(self, value):
        if value is None:
            return None
        template = ProgramTemplate.objects.filter(pk=value, is_active=True).first()
        if template is None:
            raise serializers.ValidationError("No such template.")
        return template

    def validate(self, attrs):
        if "items" in attrs:
            attrs["items"] = _resolve_exercises(attrs["items"], set())
        return attrs


class ProgramUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=120)
    goal = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    start_date = fields.DateField(required=False, allow_null=True)
    weekly_frequency = serializers.IntegerField(required=False, min_value=1, max_value=7)
    items: serializers.ListSerializer = serializers.ListSerializer(
        child=ItemInputSerializer(),
        required=False,
        max_length=60,
        help_text="The whole list, in order; items left out are removed.",
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=1000,
        help_text="Required when the program is active: recorded with the new version.",
    )

    def validate(self, attrs):
        if "items" in attrs:
            program = self.context["program"]
            used = {item.exercise_id for item in program.items.all()}
            attrs["items"] = _resolve_exercises(attrs["items"], used)
        return attrs


class StatusChangeSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class ProgramQuerySerializer(serializers.Serializer):
    client = id_field(required=False, help_text="Staff: one client's programs")
    status = serializers.ChoiceField(
        choices=Program.Status.choices, required=False, allow_blank=True
    )
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Staff: only my clients' programs"
    )


# --- practice logs ---------------------------------------------------------------------------


class PracticeLogInputSerializer(serializers.Serializer):
    date = fields.DateField()
    pain = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=10)
    difficulty = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=10
    )
    completed_items = serializers.ListField(child=id_field(), required=False, max_length=100)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LogQuerySerializer(serializers.Serializer):
    since = fields.DateField(required=False, help_text="Only days from this date on")


class PracticeLogSerializer(serializers.ModelSerializer):
    completed_items: serializers.Field = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    adherence = serializers.IntegerField(read_only=True, help_text="Percent of planned done.")

    class Meta:
        model = PracticeLog
        fields = [
            "id",
            "program",
            "date",
            "pain",
            "difficulty",
            "completed_items",
            "comment",
            "program_version",
            "planned_count",
            "done_count",
            "adherence",
            "created",
        ]
