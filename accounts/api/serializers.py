"""Serializers of the accounts API: input shapes validate, output shapes describe."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from studio.kernel import fields

from ..addresses import EmailAddressSerializerField
from ..models import CareTeamMember, ClientProfile, Condition, Enquiry, SpecialistProfile, Studio
from ..zones import canonical_zone


def message_max_length() -> int:
    return int(getattr(settings, "ENQUIRY_MESSAGE_MAX_LENGTH", 5000))


@extend_schema_field({"type": "boolean", "not": {"enum": [False]}})
class TrueField(serializers.BooleanField):
    """A boolean that must be true (consent, confirmation); the schema says so."""

    def __init__(self, *, message: str, **kwargs):
        self.must_be_true_message = message
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value is not True:
            raise serializers.ValidationError(self.must_be_true_message)
        return value


class EnquiryCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = EmailAddressSerializerField(max_length=254)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    message = serializers.CharField(max_length=5000)
    concerns = serializers.ListField(
        child=serializers.CharField(max_length=120), required=False, max_length=20, default=list
    )
    preferred_contact = serializers.ChoiceField(
        choices=Enquiry.Contact.choices, required=False, default=Enquiry.Contact.EMAIL
    )
    consent = TrueField(
        message="Please agree to us storing the health details you send.",
        help_text="Must be true: consent to the studio storing the health details sent.",
    )
    website = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default="", help_text="Leave empty."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"] = serializers.CharField(max_length=message_max_length())


class EnquiryCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class EnquirySerializer(serializers.ModelSerializer):
    client: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = Enquiry
        fields = [
            "id",
            "name",
            "email",
            "phone",
            "message",
            "concerns",
            "preferred_contact",
            "consent",
            "consent_at",
            "source",
            "status",
            "staff_notes",
            "client",
            "created",
            "updated",
            "converted_at",
        ]
        read_only_fields = fields


class EnquiryUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[s for s in Enquiry.Status.choices if s[0] != Enquiry.Status.CONVERTED],
        required=False,
    )
    staff_notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class ConvertedSerializer(serializers.Serializer):
    client = serializers.IntegerField()


class ConditionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Condition
        fields = ["id", "slug", "name", "region"]


class ClientRowSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.name")
    email = serializers.EmailField(source="user.email")
    has_red_flags = serializers.SerializerMethodField()
    erased = serializers.SerializerMethodField()

    class Meta:
        model = ClientProfile
        fields = ["id", "name", "email", "phone", "has_red_flags", "erased", "created"]

    def get_has_red_flags(self, obj) -> bool:
        return bool(obj.red_flags)

    def get_erased(self, obj) -> bool:
        return obj.erased_at is not None


class RedFlagSerializer(serializers.Serializer):
    # DRF pops declared fields off the class, so these names do not shadow Field attributes.
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    advice = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    at = serializers.CharField()


class ClientSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.name", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    conditions = ConditionSerializer(many=True, read_only=True)
    red_flags = RedFlagSerializer(many=True, read_only=True)
    assigned_specialist: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    staff_notes = serializers.SerializerMethodField()

    class Meta:
        model = ClientProfile
        fields = [
            "id",
            "name",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "timezone",
            "preferred_contact",
            "goals",
            "conditions",
            "red_flags",
            "assigned_specialist",
            "staff_notes",
            "health_consent_at",
            "intake_sent_at",
            "created",
            "updated",
            "erased_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
    def get_staff_notes(self, obj) -> str | None:
        """Staff's working notes; null for the client (they are in the client's export)."""
        request = self.context.get("request")
        if request is None or not request.user.is_studio_staff:
            return None
        return obj.staff_notes


class ZoneNameField(serializers.CharField):
    """A time-zone name, stored under its current name (accounts/zones.py)."""

    def to_internal_value(self, data):
        value = canonical_zone(super().to_internal_value(data))
        if value is None:
            raise serializers.ValidationError(f"'{data}' is not a known time zone.")
        return value


class ClientUpdateSerializer(serializers.Serializer):
    """Contact fields anyone with access may send; the rest are for staff (checked by the
    service, which answers 403 naming the field)."""

    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    preferred_contact = serializers.ChoiceField(choices=Enquiry.Contact.choices, required=False)
    timezone = ZoneNameField(max_length=64, required=False)
    date_of_birth = fields.DateField(required=False, allow_null=True)
    goals = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    staff_notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    assigned_specialist = serializers.PrimaryKeyRelatedField(
        queryset=SpecialistProfile.objects.all(), required=False, allow_null=True
    )
    conditions = serializers.SlugRelatedField(
        slug_field="slug", queryset=Condition.objects.all(), many=True, required=False
    )

    def to_internal_value(self, data):
        # Fields of the record that are not editable here (e-mail, red flags, ...) are refused
        # by name rather than silently ignored; keys the record does not have are ignored.
        if hasattr(data, "keys"):
            read_only = (set(data.keys()) & set(ClientSerializer.Meta.fields)) - set(self.fields)
            if read_only:
                raise serializers.ValidationError(
                    {name: ["This field cannot be changed."] for name in sorted(read_only)}
                )
        return super().to_internal_value(data)


class EraseSerializer(serializers.Serializer):
    confirm = TrueField(
        message="Send confirm: true to erase this client.", help_text="Must be true."
    )


class IntakeQuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    type = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    choices = serializers.ListField(child=serializers.ListField(), required=False)


class IntakeFormSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    questions = IntakeQuestionSerializer(many=True)
    conditions = ConditionSerializer(many=True)


class IntakeSubmitSerializer(serializers.Serializer):
    answers = serializers.DictField(help_text="Question key -> answer, per GET /api/intake/form/.")
    signature_name = serializers.CharField(max_length=120)
    consent = TrueField(message="Please confirm your answers and consent to us storing them.")


class IntakeSubmittedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    form_version = serializers.IntegerField()
    red_flags = RedFlagSerializer(many=True)


class CareTeamMemberSerializer(serializers.Serializer):
    specialist = serializers.IntegerField(source="specialist_id", help_text="Specialist id")
    name = serializers.CharField(source="specialist.user.name")
    reason = serializers.ChoiceField(
        choices=CareTeamMember.Reason.choices,
        help_text="converted: converted the client's enquiry; booked: a booking with them; "
        "added: added by the owner or a team member.",
    )
    added_by = serializers.IntegerField(
        source="added_by_id", allow_null=True, help_text="User id of who added them, if anyone"
    )
    added_by_name = serializers.SerializerMethodField()
    created = serializers.DateTimeField()

    def get_added_by_name(self, obj) -> str | None:
        return obj.added_by.name if obj.added_by_id else None


class CareTeamAddSerializer(serializers.Serializer):
    specialist = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The id of an active specialist"
    )


def online_payments() -> str:
    """ "on" when Stripe keys are configured (bookings/payments.py reads the same setting)."""
    return "on" if settings.STRIPE_SECRET_KEY else "off"


class StudioSerializer(serializers.ModelSerializer):
    """The studio as anyone sees it."""

    class Meta:
        model = Studio
        fields = ["name", "address", "timezone", "currency"]
        read_only_fields = fields


class StudioOwnerSerializer(serializers.ModelSerializer):
    """The studio as the owner sees it: also its policies, who sees which client file and
    whether online payments are on."""

    online_payments = serializers.SerializerMethodField(
        help_text='"on" when Stripe keys are configured, else "off" (read only).'
    )

    class Meta:
        model = Studio
        fields = [
            "name",
            "address",
            "timezone",
            "currency",
            "online_payments",
            "tagline",
            "phone",
            "email",
            "cancellation_window_hours",
            "late_cancel_fee",
            "reminder_offsets_minutes",
            "late_cancel_refund",
            "min_notice_hours",
            "booking_horizon_days",
            "slot_granularity_minutes",
            "hold_minutes",
            "shared_client_files",
        ]
        read_only_fields = fields

    def get_online_payments(self, obj) -> str:
        return online_payments()


class StudioAnswerSerializer(StudioOwnerSerializer):
    """The schema of GET /api/studio/ (never used to serialise): the owner-only fields may be
    absent, since anyone else gets StudioSerializer's fields alone."""

    online_payments = serializers.ChoiceField(  # type: ignore[assignment]
        choices=["on", "off"],
        required=False,
        help_text='The owner only: "on" when Stripe keys are configured, else "off".',
    )

    class Meta(StudioOwnerSerializer.Meta):
        read_only_fields: list[str] = []
        extra_kwargs = {
            name: {"required": False, "help_text": "The owner only."}
            for name in StudioOwnerSerializer.Meta.fields
            if name not in StudioSerializer.Meta.fields
        }


class StudioUpdateSerializer(serializers.Serializer):
    """What PATCH /api/studio/ changes (accounts/studio_settings.py checks the rules); any other
    field of the studio is refused by name."""

    name = serializers.CharField(required=False, max_length=120)
    tagline = serializers.CharField(required=False, allow_blank=True, max_length=200)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)
    timezone = serializers.CharField(required=False, max_length=64, help_text="IANA zone")
    currency = serializers.CharField(required=False, max_length=3, help_text="ISO 4217 code")
    cancellation_window_hours = serializers.IntegerField(
        required=False, min_value=0, max_value=24 * 60
    )
    late_cancel_fee = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=10**9,
        help_text="Minor units: what a late cancellation or a no-show owes.",
    )
    late_cancel_refund = serializers.ChoiceField(
        required=False, choices=Studio.RefundPolicy.choices
    )
    reminder_offsets_minutes = serializers.ListField(
        child=serializers.IntegerField(), required=False, max_length=10
    )
    min_notice_hours = serializers.IntegerField(required=False, min_value=0, max_value=24 * 365)
    booking_horizon_days = serializers.IntegerField(required=False, min_value=1, max_value=730)
    slot_granularity_minutes = serializers.IntegerField(
        required=False, min_value=1, max_value=24 * 60
    )
    hold_minutes = serializers.IntegerField(required=False, min_value=1, max_value=24 * 60)
    shared_client_files = serializers.BooleanField(
        required=False,
        help_text="true: every specialist sees every client's file; false (the default): "
        "only the clients whose care team they are on.",
    )

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            others = set(data.keys()) - set(self.fields)
            if others:
                raise serializers.ValidationError(
                    {name: ["This field cannot be changed here."] for name in sorted(others)}
                )
        return super().to_internal_value(data)
