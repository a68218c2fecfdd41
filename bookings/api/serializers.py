"""Serializers of the booking API: input validation and output shapes (see ../shared/API.md)."""

from datetime import UTC, date, datetime, time
from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.addresses import EmailAddressSerializerField
from accounts.models import Studio
from studio.kernel import fields

from ..models import Booking, Service
from ..money import booking_money, late_fee_applies
from ..selectors import MAX_RANGE_DAYS


class OffsetDateTimeField(fields.DateTimeField):
    """ISO 8601 with an explicit offset, within studio.kernel.fields' range: input must carry one;
    output is UTC '+00:00'."""

    def enforce_timezone(self, value):
        if value.tzinfo is None:
            raise serializers.ValidationError("Give the time with its UTC offset, e.g. +01:00.")
        return super().enforce_timezone(value).astimezone(UTC)

    def to_representation(self, value):
        return value.astimezone(UTC).isoformat() if value else None


# --- catalogue --------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    specialists = serializers.SerializerMethodField()
    clients_only = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Service
        fields = [
            "slug",
            "name",
            "description",
            "duration_minutes",
            "buffer_before_minutes",
            "buffer_after_minutes",
            "price",
            "deposit",
            "currency",
            "audience",
            "intake_required",
            "specialists",
            "clients_only",
            "active",
        ]

    def get_clients_only(self, obj) -> bool:
        return obj.audience == Service.Audience.EXISTING

    def get_specialists(self, obj) -> list[int]:
        return sorted(s.pk for s in obj.specialists.all() if s.is_active)


class SpecialistSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField()
    bio = serializers.CharField()
    timezone = serializers.CharField()
    color = serializers.CharField()
    services = serializers.SerializerMethodField()

    def get_services(self, obj) -> list[str]:
        return [s.slug for s in obj.services.all() if s.is_active]


# --- availability -----------------------------------------------------------------------------


class AvailabilityQuerySerializer(serializers.Serializer):
    service = serializers.SlugField()
    start = fields.DateField()
    end = fields.DateField()
    tz = serializers.CharField(required=False, max_length=64)
    specialist = fields.IdField(required=False)
    token = serializers.CharField(
        required=False,
        max_length=64,
        help_text="A booking's manage token: its own time counts as free (for rescheduling).",
    )

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["The end date is before the start date."]})
        if (attrs["end"] - attrs["start"]).days + 1 > MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": [f"Ask for at most {MAX_RANGE_DAYS} days at a time."]}
            )
        return attrs


class SlotSerializer(serializers.Serializer):
    start = serializers.CharField(help_text="ISO 8601 in the requested zone")
    end = serializers.CharField(help_text="ISO 8601 in the requested zone")
    specialist = serializers.IntegerField()
    specialist_name = serializers.CharField()


class AvailabilitySerializer(serializers.Serializer):
    timezone = serializers.CharField()
    slots = SlotSerializer(many=True)


# --- bookings ---------------------------------------------------------------------------------


class BookingCreateSerializer(serializers.Serializer):
    service = serializers.SlugField()
    specialist = fields.IdField(
        required=False, allow_null=True, help_text="Omit or null: any specialist."
    )
    start = OffsetDateTimeField()
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    email = EmailAddressSerializerField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    tz = serializers.CharField(
        required=False, allow_blank=True, max_length=64, help_text="The booker's IANA zone."
    )
    client = fields.IdField(required=False, help_text="Staff only: book for this client id.")
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Staff only: why this booking steps outside hours, notice, horizon or "
        "clients-only rules (needs `specialist`). An overlap is still 409.",
    )
    pay_with = serializers.ChoiceField(
        choices=["card", "credits"],
        required=False,
        default="card",
        help_text="`credits`: pay with a pass's credit (logged in; 409 `no_credits` if none).",
    )


class PaymentSerializer(serializers.Serializer):
    method = serializers.CharField(required=False)
    payment_intent = serializers.CharField(required=False)
    client_secret = serializers.CharField(required=False)
    pay_url = serializers.CharField(required=False)
    amount = serializers.IntegerField()
    currency = serializers.CharField()
    status = serializers.CharField(
        required=False,
        help_text="Card payments: the payment's status (pending, succeeded, ...), or "
        "`unavailable` when Stripe could not be reached; the booking stays held and "
        "`pay_url` creates the payment once Stripe is back.",
    )


class MoneySerializer(serializers.Serializer):
    """A booking's money (bookings/money.py), in minor units of `currency`."""

    currency = serializers.CharField()
    price = serializers.IntegerField()
    deposit = serializers.IntegerField()
    paid_online = serializers.IntegerField()
    paid_in_studio = serializers.IntegerField()
    refunded = serializers.IntegerField()
    balance_due = serializers.IntegerField()


class BookingSerializer(serializers.ModelSerializer):
    service: serializers.Field = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    specialist_name = serializers.CharField(source="specialist.name", read_only=True)
    client = serializers.IntegerField(
        source="client_id", read_only=True, allow_null=True, help_text="Null for a token holder."
    )
    client_name = serializers.CharField(
        source="client.name",
        read_only=True,
        allow_null=True,
        help_text="Null for a token holder; a guest's booking answer echoes the name they sent.",
    )
    start = OffsetDateTimeField(read_only=True)
    end = OffsetDateTimeField(read_only=True)
    hold_expires_at = OffsetDateTimeField(read_only=True, allow_null=True)
    cancelled_at = OffsetDateTimeField(read_only=True, allow_null=True)
    money = serializers.SerializerMethodField()

    class Meta:
        model = Booking
        fields = [
            "id",
            "status",
            "start",
            "end",
            "service",
            "service_name",
            "specialist",
            "specialist_name",
            "client",
            "client_name",
            "price",
            "amount_due",
            "currency",
            "payment_method",
            "hold_expires_at",
            "late_cancellation",
            "cancelled_at",
            "sequence",
            "money",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_money(self, obj) -> dict:
        """bookings/money.py's figures; the studio's fee is read once per answer, and only
        when a row's charge is that fee."""
        context = cast(dict, self.context)  # the root's dict: shared by a list's rows
        if "late_cancel_fee" not in context and late_fee_applies(obj):
            context["late_cancel_fee"] = Studio.get().late_cancel_fee
        fee = context.get("late_cancel_fee", 0)  # unused unless the fee applies
        return booking_money(obj, late_cancel_fee=fee).as_dict()

    def to_representation(self, instance):
        """The fields above, written out: building a ModelSerializer's fields for every answer
        cost more CPU than the rest of a booking's answer. The declared fields stay the schema,
        and tests/bookings/test_booking_body.py holds this to DRF's own field-by-field rendering
        (`drf_representation`) for bookings in every state.

        Token holders and guests see no stored identity (context "token_holder" or
        "guest_name"): the client may be an existing person matched by the typed address."""
        utc = _utc_iso
        data = {
            "id": instance.pk,
            "status": str(instance.status),
            "start": utc(instance.start),
            "end": utc(instance.end),
            "service": instance.service.slug,
            "service_name": instance.service.name,
            "specialist": instance.specialist_id,
            "specialist_name": instance.specialist.name,
            "client": instance.client_id,
            "client_name": instance.client.name,
            "price": instance.price,
            "amount_due": instance.amount_due,
            "currency": instance.currency,
            "payment_method": str(instance.payment_method),
            "hold_expires_at": utc(instance.hold_expires_at),
            "late_cancellation": instance.late_cancellation,
            "cancelled_at": utc(instance.cancelled_at),
            "sequence": instance.sequence,
            "money": self.get_money(instance),
        }
        return self._hide_client(data)

    def drf_representation(self, instance) -> dict:
        """DRF's rendering of the declared fields, one by one (what to_representation must
        equal; tests only)."""
        return self._hide_client(dict(super().to_representation(instance)))

    def _hide_client(self, data: dict) -> dict:
        if self.context.get("token_holder") or "guest_name" in self.context:
            data["client"] = None
            data["client_name"] = self.context.get("guest_name")
        return data


def _utc_iso(value: datetime | None) -> str | None:
    """OffsetDateTimeField's output."""
    return value.astimezone(UTC).isoformat() if value else None


class BookingCreatedSerializer(BookingSerializer):
    payment = PaymentSerializer(required=False, allow_null=True)

    class Meta(BookingSerializer.Meta):
        fields = [*BookingSerializer.Meta.fields, "manage_token", "payment"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["manage_token"] = instance.manage_token
        if hasattr(instance, "payment"):  # set by the view (DRF skips the field otherwise)
            payment = instance.payment
            data["payment"] = None if payment is None else dict(PaymentSerializer(payment).data)
        return data


@extend_schema_field(OpenApiTypes.STR)
class DateOrDateTimeField(serializers.Field):
    """A date (midnight UTC) or a date-time with its offset, within studio.kernel.fields' range."""

    default_error_messages = {"invalid": "Give a date (YYYY-MM-DD) or a date-time with offset."}

    def to_internal_value(self, data):
        value = str(data)
        try:
            day = date.fromisoformat(value)
        except ValueError:
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                self.fail("invalid")
            if moment.tzinfo is None:
                self.fail("invalid")
            fields.check_date_in_range(moment)
            return moment.astimezone(UTC)
        fields.check_date_in_range(day)
        return datetime.combine(day, time(0), tzinfo=UTC)

    def to_representation(self, value):
        return value.isoformat()


class BookingListQuerySerializer(serializers.Serializer):
    specialist = fields.IdField(required=False)
    start = DateOrDateTimeField(required=False, help_text="Bookings ending after this date/moment")
    end = DateOrDateTimeField(required=False, help_text="Bookings starting before this date/moment")
    status = serializers.ChoiceField(choices=Booking.Status.choices, required=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False, max_length=64, help_text="The manage token (for guests)."
    )


class CancelSerializer(TokenSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


class RescheduleSerializer(TokenSerializer):
    start = OffsetDateTimeField()
    override_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        help_text="Staff only: why the new time steps outside hours or notice.",
    )
