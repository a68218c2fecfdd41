"""Enquiries API: public POST, staff list/detail/triage, convert into a client."""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.errors import Invalid
from studio.kernel.parsers import JSONParser

from .. import ratelimit, selectors, services
from ..models import Enquiry
from .errors import BAD, CONFLICT, FORBIDDEN, LIMITED, MISSING, UNAUTH
from .permissions import IsStudioStaff
from .serializers import (
    ConvertedSerializer,
    EnquiryCreatedSerializer,
    EnquiryCreateSerializer,
    EnquirySerializer,
    EnquiryUpdateSerializer,
)


class EnquiryListCreateView(APIView):
    parser_classes = [JSONParser]

    def get_permissions(self):
        # Reading is for staff; POST is public (other methods then answer 405, not 403).
        reading = self.request.method in ("GET", "HEAD", "OPTIONS")
        return [IsStudioStaff()] if reading else [AllowAny()]

    @extend_schema(
        operation_id="enquiries_create",
        request=EnquiryCreateSerializer,
        responses={201: EnquiryCreatedSerializer, 400: BAD, 429: LIMITED},
        auth=[],
        description="Public enquiry form. Rate limited per IP (ENQUIRY_RATE).",
    )
    def post(self, request):
        ratelimit.check(request, scope="enquiry", rate=settings.ENQUIRY_RATE)
        data = EnquiryCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        enquiry = services.enquiry_create(honeypot=values.pop("website", ""), **values)
        # A honeypot hit looks like any other success to the sender.
        return Response({"id": enquiry.pk, "status": "new"}, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="enquiries_list",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=Enquiry.Status.values)],
        responses={200: EnquirySerializer(many=True), 400: BAD, 401: UNAUTH, 403: FORBIDDEN},
    )
    def get(self, request):
        status_filter = request.query_params.get("status")
        if status_filter is not None and status_filter not in Enquiry.Status.values:
            raise Invalid("Unknown status.", field="status")
        rows = selectors.enquiry_list(user=request.user, status=status_filter)
        return Response(EnquirySerializer(rows, many=True).data)


class EnquiryDetailView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsStudioStaff]

    @extend_schema(
        operation_id="enquiries_retrieve",
        responses={200: EnquirySerializer, 401: UNAUTH, 403: FORBIDDEN, 404: MISSING},
    )
    def get(self, request, pk: int):
        return Response(EnquirySerializer(selectors.enquiry_get(user=request.user, pk=pk)).data)

    @extend_schema(
        operation_id="enquiries_update",
        request=EnquiryUpdateSerializer,
        responses={
            200: EnquirySerializer,
            400: BAD,
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
            409: CONFLICT,
        },
    )
    def patch(self, request, pk: int):
        enquiry = selectors.enquiry_get(user=request.user, pk=pk)
        data = EnquiryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "status" in data.validated_data:
            enquiry = services.enquiry_set_status(
                enquiry=enquiry, status=data.validated_data["status"], by=request.user
            )
        if "staff_notes" in data.validated_data:
            enquiry = services.enquiry_set_notes(
                enquiry=enquiry, notes=data.validated_data["staff_notes"], by=request.user
            )
        return Response(
            EnquirySerializer(selectors.enquiry_get(user=request.user, pk=enquiry.pk)).data
        )


class EnquiryConvertView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsStudioStaff]

    @extend_schema(
        operation_id="enquiries_convert",
        request=None,
        responses={
            201: ConvertedSerializer,
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
            409: CONFLICT,
        },
        description="Create the client (user + profile) and e-mail them a signed intake link.",
    )
    def post(self, request, pk: int):
        profile = services.enquiry_convert(
            enquiry=selectors.enquiry_get(user=request.user, pk=pk), by=request.user
        )
        return Response({"client": profile.pk}, status=status.HTTP_201_CREATED)
