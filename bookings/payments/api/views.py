"""Payments API: a caller's payments (staff: the studio's) and the staff refund action."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from bookings.api.filters import filter_by_booking
from bookings.models import Payment, Refund
from bookings.payments.refunds import payment_refund_staff
from studio.kernel.errors import NotFound


class RefundSerializer(serializers.ModelSerializer):
    class Meta:
        model = Refund
        fields = ["id", "stripe_refund", "amount", "reason", "created"]


class PaymentRecordSerializer(serializers.ModelSerializer):
    refunds = RefundSerializer(many=True, read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "booking",
            "payment_intent",
            "amount",
            "currency",
            "status",
            "amount_refunded",
            "paid_at",
            "created",
            "refunds",
        ]


class RefundRequestSerializer(serializers.Serializer):
    amount = serializers.IntegerField(
        required=False, min_value=1, help_text="Minor units; default: all not yet refunded."
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class RefundResultSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["refunded", "queued"])
    amount = serializers.IntegerField()
    refund = RefundSerializer(required=False, allow_null=True)


def visible_payments(user):
    """The payments of bookings whose client the user may see (accounts/access.py): the owner
    all, a specialist their care teams' clients', a client their own."""
    qs = Payment.objects.select_related("booking").prefetch_related("refunds")
    return qs.filter(access.client_filter(user, "booking__client__"))


@extend_schema(
    parameters=[OpenApiParameter("booking", int, description="Only this booking's payments")],
    responses={
        200: PaymentRecordSerializer(many=True),
        401: OpenApiResponse(description="Not logged in"),
    },
)
class PaymentListView(generics.ListAPIView):
    serializer_class = PaymentRecordSerializer

    def get_queryset(self):
        return filter_by_booking(
            visible_payments(self.request.user).order_by("-created", "-pk"), self.request
        )


@extend_schema(
    responses={
        200: PaymentRecordSerializer,
        401: OpenApiResponse(description="Not logged in"),
        404: OpenApiResponse(description="No such payment (or not yours)"),
    }
)
class PaymentDetailView(generics.RetrieveAPIView):
    serializer_class = PaymentRecordSerializer

    def get_queryset(self):
        return visible_payments(self.request.user)


class PaymentRefundView(APIView):
    @extend_schema(
        request=RefundRequestSerializer,
        responses={
            201: RefundResultSerializer,
            202: RefundResultSerializer,
            400: OpenApiResponse(description="Amount out of range"),
            401: OpenApiResponse(description="Not logged in"),
            404: OpenApiResponse(description="No such payment, or not the caller's to refund"),
            409: OpenApiResponse(description="Not paid, already fully refunded, or refused"),
        },
        description="Staff (the owner, or the booking's specialist) refund a paid payment now; "
        "202 when Stripe is unreachable and the refund is queued.",
    )
    def post(self, request, pk: int):
        payment = visible_payments(request.user).filter(pk=pk).first()
        if payment is None or not request.user.is_studio_staff:
            raise NotFound("No such payment.")
        data = RefundRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = payment_refund_staff(
            payment=payment,
            by=request.user,
            amount=data.validated_data.get("amount"),
            reason=data.validated_data.get("reason", ""),
        )
        code = status.HTTP_202_ACCEPTED if result["status"] == "queued" else status.HTTP_201_CREATED
        return Response(RefundResultSerializer(result).data, status=code)
