"""Clients API: staff list, a record (staff or that client), edit, export, erase, intake."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.errors import Conflict, NotAllowed, NotFound
from studio.kernel.parsers import JSONParser

from .. import selectors, services
from ..audit import request_ip
from ..intake import intake_link_send_later
from ..models import Condition
from .errors import BAD, CONFLICT, FORBIDDEN, MISSING, UNAUTH
from .permissions import IsStudioStaff
from .serializers import (
    ClientRowSerializer,
    ClientSerializer,
    ClientUpdateSerializer,
    EraseSerializer,
    IntakeFormSerializer,
    IntakeSubmitSerializer,
    IntakeSubmittedSerializer,
)


class ClientListView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsStudioStaff]

    @extend_schema(
        operation_id="clients_list",
        parameters=[
            OpenApiParameter("search", OpenApiTypes.STR, description="name, e-mail, phone")
        ],
        responses={200: ClientRowSerializer(many=True), 401: UNAUTH, 403: FORBIDDEN},
    )
    def get(self, request):
        rows = selectors.client_list(
            user=request.user, search=request.query_params.get("search", "")[:100]
        )
        return Response(ClientRowSerializer(rows, many=True).data)


class ClientDetailView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_retrieve",
        responses={200: ClientSerializer, 401: UNAUTH, 404: MISSING},
    )
    def get(self, request, pk: int):
        client = selectors.client_get_for(user=request.user, pk=pk)
        services.client_viewed(
            client=client, by=request.user, what="api record", ip=request_ip(request)
        )
        return Response(ClientSerializer(client, context={"request": request}).data)

    @extend_schema(
        operation_id="clients_update",
        request=ClientUpdateSerializer,
        responses={200: ClientSerializer, 400: BAD, 401: UNAUTH, 403: FORBIDDEN, 404: MISSING},
        description="A client may change only first_name, last_name, phone, preferred_contact "
        "and timezone; staff may also change the other fields.",
    )
    def patch(self, request, pk: int):
        client = selectors.client_get_for(user=request.user, pk=pk)
        data = ClientUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        client = services.client_update(client=client, by=request.user, data=data.validated_data)
        client = selectors.client_get_for(user=request.user, pk=client.pk)
        return Response(ClientSerializer(client, context={"request": request}).data)


class ClientMeView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_me",
        responses={200: ClientSerializer, 401: UNAUTH, 404: MISSING},
        description="The logged-in client's own record.",
    )
    def get(self, request):
        client = selectors.client_for_user(request.user)
        if client is None:
            raise NotFound("You have no client record.")
        return Response(ClientSerializer(client, context={"request": request}).data)


class ClientExportView(APIView):
    parser_classes = [JSONParser]
    renderer_classes = [JSONRenderer]  # a download link gets JSON, not the browsable API page
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_export",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Everything stored"),
            401: UNAUTH,
            404: MISSING,
        },
    )
    def get(self, request, pk: int):
        client = selectors.client_get_for(user=request.user, pk=pk)
        data = services.client_export(client=client, by=request.user, ip=request_ip(request))
        response = Response(data)
        response["Content-Disposition"] = f'inline; filename="client-{client.pk}.json"'
        return response


class ClientEraseView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_erase",
        request=EraseSerializer,
        responses={
            200: ClientSerializer,
            400: BAD,
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
            409: CONFLICT,
        },
        description="Owner only: anonymise the person, keep bookings' accounting rows.",
    )
    def post(self, request, pk: int):
        client = selectors.client_get_for(user=request.user, pk=pk)
        if not request.user.is_owner:
            raise NotAllowed("Only the studio owner can erase a client.")
        data = EraseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        client = services.client_erase(client=client, by=request.user, ip=request_ip(request))
        return Response(ClientSerializer(client, context={"request": request}).data)


class ClientIntakeLinkView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsStudioStaff]

    @extend_schema(
        operation_id="clients_send_intake_link",
        request=None,
        responses={
            202: OpenApiResponse(description="Queued"),
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
            409: CONFLICT,
        },
    )
    def post(self, request, pk: int):
        client = selectors.client_get_for(user=request.user, pk=pk)
        if client.erased_at:
            raise Conflict("This client has been erased.")
        intake_link_send_later(client=client)
        return Response(
            {"detail": "The intake link is on its way."}, status=status.HTTP_202_ACCEPTED
        )


class IntakeFormView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="intake_form",
        responses={200: IntakeFormSerializer, 401: UNAUTH, 404: MISSING},
        description="The current version of the intake questions.",
    )
    def get(self, request):
        form = selectors.intake_form_current()
        if form is None:
            raise NotFound("No intake form is published.")
        return Response(
            {
                "version": form.version,
                "title": form.title,
                "questions": form.questions,
                "conditions": [
                    {"id": c.pk, "slug": c.slug, "name": c.name, "region": c.region}
                    for c in Condition.objects.all()
                ],
            }
        )


class IntakeSubmitView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="intake_submit",
        request=IntakeSubmitSerializer,
        responses={
            201: IntakeSubmittedSerializer,
            400: BAD,
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
        },
        description="The logged-in client answers the current intake form.",
    )
    def post(self, request):
        client = selectors.client_for_user(request.user)
        if client is None:
            raise NotAllowed("Only clients fill in the intake form.")
        form = selectors.intake_form_current()
        if form is None:
            raise NotFound("No intake form is published.")
        data = IntakeSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = services.intake_submit(
            client=client,
            intake_form=form,
            answers=data.validated_data["answers"],
            signature_name=data.validated_data["signature_name"],
            consent=data.validated_data["consent"],
            ip=request_ip(request),
        )
        return Response(
            {"id": submission.pk, "form_version": form.version, "red_flags": submission.red_flags},
            status=status.HTTP_201_CREATED,
        )
