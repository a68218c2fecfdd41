"""Passes API (../shared/API.md, Passes): the catalogue, buying, memberships, credits.

Thin views: validate with a serializer, call one service or selector, shape the answer. Whose
credits a caller may see or change is accounts/access.py's rule: a client their own, the owner
everyone's, a specialist their care teams' clients' (others answer 404).
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access
from accounts.audit import audit_record, request_ip
from accounts.models import ClientProfile, User
from studio.kernel import fields
from studio.kernel.errors import Invalid, NotAllowed, NotFound

from ..api.serializers import OffsetDateTimeField
from . import selectors, services
from .ledger import credits_adjust
from .models import CreditEntry, Pass, Purchase

ERR = {
    400: OpenApiResponse(description="Invalid input: field errors or {detail}"),
    401: OpenApiResponse(description="Not logged in"),
    403: OpenApiResponse(description="Not allowed"),
    404: OpenApiResponse(description="No such pass, purchase or client (or not yours)"),
    409: OpenApiResponse(description="Not possible in this state (e.g. Stripe is off)"),
}


class PassSerializer(serializers.ModelSerializer):
    services: serializers.Field = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    class_types: serializers.Field = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = Pass
        fields = [
            "slug",
            "name",
            "description",
            "kind",
            "credits",
            "unlimited",
            "valid_days",
            "price",
            "currency",
            "intro_offer",
            "services",
            "class_types",
        ]
        read_only_fields = fields


class PurchaseSerializer(serializers.ModelSerializer):
    purchase = serializers.IntegerField(source="pk", read_only=True)
    pass_slug = serializers.SlugField(source="pass_type.slug", read_only=True)
    current_period_end = OffsetDateTimeField(read_only=True, allow_null=True)
    paid_at = OffsetDateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Purchase
        fields = [
            "purchase",
            "pass_slug",
            "status",
            "amount",
            "currency",
            "amount_refunded",
            "stripe_subscription",
            "current_period_end",
            "paid_at",
        ]
        read_only_fields = fields


class BuySerializer(serializers.Serializer):
    client = fields.IdField(required=False, help_text="Staff only: buy for this client.")


class BuyResultSerializer(serializers.Serializer):
    purchase = serializers.IntegerField()
    payment = serializers.DictField(
        help_text="A pack: {method, payment_intent, client_secret, amount, currency, pay_url, "
        "status}. A membership: {method, customer, setup_intent, client_secret, subscription, "
        "amount, currency, interval, pay_url, status}; subscribe once the card is saved."
    )


class SubscribeSerializer(serializers.Serializer):
    payment_method = serializers.CharField(
        required=False, max_length=120, help_text="Default: the card the SetupIntent saved."
    )


class EntrySerializer(serializers.ModelSerializer):
    expires = OffsetDateTimeField(source="expires_at", read_only=True, allow_null=True)
    created = OffsetDateTimeField(read_only=True)
    purchase = serializers.IntegerField(source="purchase_id", read_only=True, allow_null=True)
    by = serializers.CharField(source="by.name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = CreditEntry
        fields = [
            "id",
            "kind",
            "amount",
            "booking",
            "purchase",
            "expires",
            "reason",
            "by",
            "created",
        ]
        read_only_fields = fields


class ExpirySerializer(serializers.Serializer):
    credits = serializers.IntegerField()
    expires = OffsetDateTimeField(source="expires_at", allow_null=True)
    pass_name = serializers.CharField()


class CreditsSerializer(serializers.Serializer):
    client = serializers.IntegerField()
    balance = serializers.IntegerField(help_text="Never below zero.")
    expiries = ExpirySerializer(many=True)
    memberships = PurchaseSerializer(many=True)
    entries = EntrySerializer(many=True)


class CreditsQuerySerializer(serializers.Serializer):
    client = fields.IdField(required=False, help_text="Staff: whose credits.")


class AdjustSerializer(serializers.Serializer):
    client = fields.IdField()
    amount = serializers.IntegerField(min_value=-1000, max_value=1000)
    reason = serializers.CharField(max_length=200)
    expires = OffsetDateTimeField(required=False, allow_null=True)


def _client_for(request, client_id) -> ClientProfile:
    """The client whose credits the caller asks about: themself, or (staff) `client`."""
    user = request.user
    if client_id is None:
        if user.role != User.Role.CLIENT:
            raise Invalid("Give the client's id.", field="client")
        return ClientProfile.objects.get_or_create(user=user)[0]
    return access.client_or_404(user, client_id, field=None)


def credits_json(client: ClientProfile) -> dict:
    return CreditsSerializer(
        {
            "client": client.pk,
            "balance": selectors.credits_balance(client_id=client.pk),
            "expiries": selectors.credits_expiries(client_id=client.pk),
            "memberships": selectors.memberships(client_id=client.pk),
            "entries": selectors.credit_entries(client_id=client.pk),
        }
    ).data


class PassListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: PassSerializer(many=True)})
    def get(self, request):
        user = request.user
        client_id = None
        if user.is_authenticated and user.role == User.Role.CLIENT:
            client_id = ClientProfile.objects.filter(user=user).values_list("pk", flat=True).first()
        return Response(
            PassSerializer(selectors.passes_for_sale(client_id=client_id), many=True).data
        )


class PassBuyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=BuySerializer, responses={201: BuyResultSerializer, **ERR})
    def post(self, request, slug: str):
        data = BuySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pass_type = Pass.objects.filter(slug=slug, is_active=True).first()
        if pass_type is None:
            raise NotFound("No such pass.")
        client_id = data.validated_data.get("client")
        if client_id is not None and not request.user.is_studio_staff:
            raise NotAllowed("Only studio staff can buy for a client.")
        if client_id is None and request.user.role != User.Role.CLIENT:
            raise Invalid("Give the client's id.", field="client")
        client = _client_for(request, client_id)
        purchase, payment = services.purchase_start(
            pass_type=pass_type, client=client, by=request.user
        )
        return Response(
            {"purchase": purchase.pk, "payment": payment}, status=status.HTTP_201_CREATED
        )


def _purchase_for(request, pk: int) -> Purchase:
    """A purchase whose client the caller may see; 404 otherwise."""
    found = Purchase.objects.filter(access.client_filter(request.user, "client__"))
    return get_object_or_404(found.select_related("pass_type", "client__user"), pk=pk)


class PurchaseListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[CreditsQuerySerializer], responses={200: PurchaseSerializer(many=True), **ERR}
    )
    def get(self, request):
        query = CreditsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        client = _client_for(request, query.validated_data.get("client"))
        rows = Purchase.objects.filter(client=client).exclude(status=Purchase.Status.PENDING)
        return Response(PurchaseSerializer(rows.select_related("pass_type"), many=True).data)


class PurchaseSubscribeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=SubscribeSerializer, responses={200: PurchaseSerializer, **ERR})
    def post(self, request, pk: int):
        data = SubscribeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        purchase = services.membership_subscribe(
            purchase=_purchase_for(request, pk),
            payment_method=data.validated_data.get("payment_method"),
        )
        return Response(PurchaseSerializer(purchase).data)


class PurchaseCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PurchaseSerializer, **ERR})
    def post(self, request, pk: int):
        purchase = _purchase_for(request, pk)
        if not (request.user.is_owner or purchase.client.user_id == request.user.pk):
            raise NotAllowed("Only the client or the owner ends a membership.")
        purchase = services.membership_cancel(purchase=purchase, by=request.user)
        return Response(PurchaseSerializer(purchase).data)


class PurchaseRefundView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: PurchaseSerializer, **ERR})
    def post(self, request, pk: int):
        purchase = _purchase_for(request, pk)
        services.pack_refund(purchase=purchase, by=request.user)
        purchase.refresh_from_db()
        return Response(PurchaseSerializer(purchase).data)


class CreditsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="Staff: the client whose credits to see")
        ],
        responses={200: CreditsSerializer, **ERR},
    )
    def get(self, request):
        query = CreditsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        client = _client_for(request, query.validated_data.get("client"))
        if request.user.is_studio_staff:
            audit_record(
                actor=request.user,
                client=client,
                action="viewed",
                what="credits",
                ip=request_ip(request),
            )
        return Response(credits_json(client))


class CreditsAdjustView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=AdjustSerializer, responses={201: CreditsSerializer, **ERR})
    def post(self, request):
        if not request.user.is_studio_staff:
            raise NotAllowed("Only studio staff adjust credits.")
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        client = access.client_or_404(request.user, d["client"], field="client")
        credits_adjust(
            client_id=client.pk,
            amount=d["amount"],
            by=request.user,
            reason=d["reason"],
            expires_at=d.get("expires"),
        )
        audit_record(
            actor=request.user,
            client=client,
            action="changed",
            what="credits",
            ip=request_ip(request),
        )
        return Response(credits_json(client), status=status.HTTP_201_CREATED)
