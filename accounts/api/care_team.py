"""Care team API: GET/POST /api/clients/{id}/care-team/, DELETE .../care-team/{specialist id}/,
and GET/PATCH /api/studio/ (its `shared_client_files` switch). The rule itself is in
accounts/access.py; a client the caller may not see answers 404 here as everywhere."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.parsers import JSONParser

from .. import access, care_team
from ..audit import request_ip
from ..models import Studio
from .errors import BAD, FORBIDDEN, MISSING, UNAUTH
from .serializers import (
    CareTeamAddSerializer,
    CareTeamMemberSerializer,
    StudioAnswerSerializer,
    StudioOwnerSerializer,
    StudioSerializer,
    StudioUpdateSerializer,
)

WHO_CHANGES = "The owner, or a specialist on the team (403 for anyone else who sees the client)."


class CareTeamView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_care_team_list",
        responses={200: CareTeamMemberSerializer(many=True), 401: UNAUTH, 404: MISSING},
        description="Every member of the client's care team, however they joined (anyone who "
        "sees the client: the owner, its team, the client themself).",
    )
    def get(self, request, pk: int):
        client = access.client_or_404(request.user, pk)
        members = care_team.care_team_list(client=client)
        return Response(CareTeamMemberSerializer(members, many=True).data)

    @extend_schema(
        operation_id="clients_care_team_add",
        request=CareTeamAddSerializer,
        responses={
            201: CareTeamMemberSerializer,
            200: OpenApiResponse(CareTeamMemberSerializer, description="Already on the team"),
            400: BAD,
            401: UNAUTH,
            403: FORBIDDEN,
            404: MISSING,
        },
        description="Add a specialist to the care team. " + WHO_CHANGES,
    )
    def post(self, request, pk: int):
        client = access.client_or_404(request.user, pk)
        data = CareTeamAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member, created = care_team.care_team_add(
            client=client,
            specialist_id=data.validated_data["specialist"],
            by=request.user,
            ip=request_ip(request),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CareTeamMemberSerializer(member).data, status=code)


class CareTeamMemberView(APIView):
    parser_classes = [JSONParser]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="clients_care_team_remove",
        request=None,
        responses={204: None, 401: UNAUTH, 403: FORBIDDEN, 404: MISSING},
        description="Remove a member, however they joined: their access ends at once. "
        + WHO_CHANGES,
    )
    def delete(self, request, pk: int, specialist: int):
        client = access.client_or_404(request.user, pk)
        care_team.care_team_remove(
            client=client, specialist_id=specialist, by=request.user, ip=request_ip(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class StudioView(APIView):
    parser_classes = [JSONParser]

    def get_permissions(self):
        return (
            [AllowAny()]
            if self.request.method in ("GET", "HEAD", "OPTIONS")
            else [IsAuthenticated()]
        )

    def _shown(self, request, studio: Studio) -> dict:
        if request.user.is_authenticated and request.user.is_owner:
            return StudioOwnerSerializer(studio).data
        return StudioSerializer(studio).data

    @extend_schema(
        operation_id="studio_retrieve",
        responses={200: StudioAnswerSerializer},
        description="The studio: name, address, timezone, currency for anyone; the owner also "
        "gets its policies and `shared_client_files`.",
    )
    def get(self, request):
        return Response(self._shown(request, Studio.get()))

    @extend_schema(
        operation_id="studio_update",
        request=StudioUpdateSerializer,
        responses={200: StudioOwnerSerializer, 400: BAD, 401: UNAUTH, 403: FORBIDDEN},
        description="Owner only. `shared_client_files: true` lets every specialist see every "
        "client; false limits each to their clients' care teams (the default).",
    )
    def patch(self, request):
        data = StudioUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        current = Studio.get().shared_client_files
        studio = care_team.studio_share_client_files(
            by=request.user, shared=data.validated_data.get("shared_client_files", current)
        )
        return Response(self._shown(request, studio))
