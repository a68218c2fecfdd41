"""Front-desk API: money taken and given back at the studio, and marking how a session went.

POST /api/bookings/{id}/payments/  {"amount", "method", "note"?}  -> 201 (staff)
GET  /api/bookings/{id}/payments/                                 -> the desk rows (staff)
POST /api/bookings/{id}/refunds/   {"amount", "method", "note"?}  -> 201 (owner, its specialist)
POST /api/bookings/{id}/mark/      {"status": completed|no_show}  -> 200 (staff)
A booking whose client the caller may not see answers 404 (accounts/access.py).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.errors import NotFound
from studio.kernel.schema import error_responses

from .. import selectors, services
from ..api.serializers import BookingSerializer, MoneySerializer
from ..money import booking_money
from .models import DeskPayment
from .services import desk_payment_record, desk_refund_record


class DeskPaymentInSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=10**9, help_text="Minor units.")
    method = serializers.ChoiceField(choices=DeskPayment.Method.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class DeskPaymentSerializer(serializers.ModelSerializer):
    by_name = serializers.CharField(source="by.name", read_only=True, allow_null=True)

    class Meta:
        model = DeskPayment
        fields = ["id", "booking", "kind", "method", "amount", "currency", "note", "by", "by_name"]
        fields += ["created"]
        read_only_fields = fields


class DeskRecordedSerializer(DeskPaymentSerializer):
    money = serializers.SerializerMethodField()

    class Meta(DeskPaymentSerializer.Meta):
        fields = [*DeskPaymentSerializer.Meta.fields, "money"]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_money(self, obj) -> dict:
        return booking_money(obj.booking).as_dict()


class MarkSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=list(services.MARKABLE))


def _staff_booking(request, pk: int):
    """The booking for staff who may see its client; 404 for anyone else (clients too)."""
    if not request.user.is_studio_staff:
        raise NotFound("No such booking.")
    return selectors.booking_get_for(pk=pk, user=request.user)


def _record(request, pk: int, recorder) -> Response:
    """Validate the body and record it with the desk service given; 201 with the money after."""
    booking = _staff_booking(request, pk)
    data = DeskPaymentInSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    row = recorder(booking=booking, by=request.user, **data.validated_data)
    return Response(DeskRecordedSerializer(row).data, status=status.HTTP_201_CREATED)


class DeskPaymentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bookings_desk_payments_list",
        responses={200: DeskPaymentSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        booking = _staff_booking(request, pk)
        rows = booking.desk_payments.select_related("by")
        return Response(DeskPaymentSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="bookings_desk_payments_create",
        request=DeskPaymentInSerializer,
        responses={201: DeskRecordedSerializer, **error_responses(400, 401, 403, 404)},
        description="Record money taken at the studio. More than `money.balance_due` -> 400.",
    )
    def post(self, request, pk: int):
        return _record(request, pk, desk_payment_record)


class DeskRefundsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bookings_desk_refunds_create",
        request=DeskPaymentInSerializer,
        responses={201: DeskRecordedSerializer, **error_responses(400, 401, 403, 404)},
        description="Record desk money given back (the owner or the booking's specialist); "
        "more than was taken at the desk -> 400. Card payments refund through /api/payments/.",
    )
    def post(self, request, pk: int):
        return _record(request, pk, desk_refund_record)


class MarkView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bookings_mark",
        request=MarkSerializer,
        responses={200: BookingSerializer, **error_responses(400, 401, 404, 409)},
        description="Staff: completed or no-show, once the session has started (409 before).",
    )
    def post(self, request, pk: int):
        booking = _staff_booking(request, pk)
        data = MarkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_mark(
            booking=booking, status=data.validated_data["status"], by=request.user
        )
        return Response(BookingSerializer(booking).data)


urlpatterns = [
    path("bookings/<id:pk>/payments/", DeskPaymentsView.as_view(), name="api-desk-payments"),
    path("bookings/<id:pk>/refunds/", DeskRefundsView.as_view(), name="api-desk-refunds"),
    path("bookings/<id:pk>/mark/", MarkView.as_view(), name="api-booking-mark"),
]
