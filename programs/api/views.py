"""Thin API views: validate with a serializer, call a service or selector, shape the answer."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel.errors import NotAllowed
from studio.kernel.parsers import JSONParser

from .. import practice, selectors, services
from ..models import Program
from . import serializers as s

E400 = OpenApiResponse(description="Invalid input; field errors name the fields")
E401 = OpenApiResponse(description="Not logged in")
E403 = OpenApiResponse(description="Not allowed for this role")
E404 = OpenApiResponse(description="Not found (also for records the caller may not see)")
E409 = OpenApiResponse(description="The program's status does not allow this")


def _require_staff(request) -> None:
    if not request.user.is_studio_staff:
        raise NotAllowed("Only studio staff may do this.")


def _program_response(request, program: Program, status_code=status.HTTP_200_OK) -> Response:
    program = selectors.program_get_for(user=request.user, pk=program.pk)
    context = {"request": request, "warnings": selectors.program_warnings([program])}
    return Response(s.ProgramSerializer(program, context=context).data, status=status_code)


def _query(serializer_class, request) -> dict:
    """Validated query parameters (a bad one is a 400 naming it)."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema(
    parameters=[s.ExerciseQuerySerializer],
    responses={200: s.ExerciseRowSerializer(many=True), 400: E400, 401: E401},
)
class ExerciseListView(generics.ListAPIView):
    """The exercise catalog (staff and clients), searchable and filterable."""

    serializer_class = s.ExerciseRowSerializer

    def get_queryset(self):
        return selectors.exercise_list(**_query(s.ExerciseQuerySerializer, self.request))


@extend_schema(responses={200: s.ExerciseDetailSerializer, 401: E401, 404: E404})
class ExerciseDetailView(generics.RetrieveAPIView):
    """One exercise with instructions, cues, dosage defaults and contraindications."""

    serializer_class = s.ExerciseDetailSerializer

    def get_queryset(self):
        return selectors.exercise_detail_queryset()


class ProgramListView(generics.GenericAPIView):
    """Programs: staff see the studio's, a client only their own active and completed ones."""

    serializer_class = s.ProgramSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[s.ProgramQuerySerializer],
        responses={200: s.ProgramSerializer(many=True), 400: E400, 401: E401},
    )
    def get(self, request):
        query = _query(s.ProgramQuerySerializer, request)
        programs = selectors.program_list_for(user=request.user, **query)
        page = self.paginate_queryset(programs)
        context = {"request": request, "warnings": selectors.program_warnings(page)}
        return self.get_paginated_response(
            s.ProgramSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        request=s.ProgramCreateSerializer,
        responses={201: s.ProgramSerializer, 400: E400, 401: E401, 403: E403, 404: E404},
    )
    def post(self, request):
        """Assign a program (active unless `status` is "draft"); `warnings` lists the items
        whose exercise is contraindicated for the client."""
        _require_staff(request)
        data = s.ProgramCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        program = services.program_create(by=request.user, **data.validated_data)
        return _program_response(request, program, status.HTTP_201_CREATED)


class ProgramDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses={200: s.ProgramSerializer, 401: E401, 404: E404})
    def get(self, request, pk: int):
        program = selectors.program_get_for(user=request.user, pk=pk)
        return _program_response(request, program)

    @extend_schema(
        request=s.ProgramUpdateSerializer,
        responses={200: s.ProgramSerializer, 400: E400, 401: E401, 403: E403, 404: E404, 409: E409},
    )
    def patch(self, request, pk: int):
        """Edit a program; `items` replaces the list (send `id` to keep an item). Changing an
        active program needs `reason` and records a new version."""
        program = selectors.program_get_for(user=request.user, pk=pk)
        _require_staff(request)
        data = s.ProgramUpdateSerializer(data=request.data, context={"program": program})
        data.is_valid(raise_exception=True)
        program = services.program_update(program=program, by=request.user, **data.validated_data)
        return _program_response(request, program)


class ProgramStatusView(APIView):
    """Base of the status changes: a draft becomes active (publish), active completed, any
    archived. Repeating one is harmless; any other change is a 409."""

    parser_classes = [JSONParser]
    target = ""

    def post(self, request, pk: int):
        program = selectors.program_get_for(user=request.user, pk=pk)
        _require_staff(request)
        data = s.StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if self.target == Program.Status.ACTIVE:
            reason = data.validated_data.get("reason", "")
            services.program_publish(program=program, by=request.user, reason=reason)
        else:
            services.program_set_status(program=program, by=request.user, status=self.target)
        return _program_response(request, program)


def _status_schema(action: str, description: str):
    return extend_schema_view(
        post=extend_schema(
            operation_id=f"programs_{action}",
            description=description,
            request=s.StatusChangeSerializer,
            responses={200: s.ProgramSerializer, 400: E400, 401: E401, 403: E403, 404: E404}
            | {409: E409},
        )
    )


@_status_schema("publish", "Make a draft the client's active program (`reason` is optional).")
class ProgramPublishView(ProgramStatusView):
    target = Program.Status.ACTIVE


@_status_schema("complete", "Mark an active program completed.")
class ProgramCompleteView(ProgramStatusView):
    target = Program.Status.COMPLETED


@_status_schema("archive", "Archive a program (the client no longer sees it).")
class ProgramArchiveView(ProgramStatusView):
    target = Program.Status.ARCHIVED


class ProgramVersionListView(APIView):
    @extend_schema(
        responses={200: s.ProgramVersionSerializer(many=True), 401: E401, 403: E403, 404: E404}
    )
    def get(self, request, pk: int):
        """A program's versions, newest first (staff)."""
        program = selectors.program_get_for(user=request.user, pk=pk)
        _require_staff(request)
        versions = selectors.program_versions(program=program)
        return Response(s.ProgramVersionSerializer(versions, many=True).data)


class PracticeLogListView(generics.GenericAPIView):
    serializer_class = s.PracticeLogSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        responses={200: s.PracticeLogSerializer(many=True), 400: E400, 401: E401, 404: E404},
        parameters=[s.LogQuerySerializer],
    )
    def get(self, request, pk: int):
        """The program's practice log, newest first (the client, or staff)."""
        program = selectors.program_get_for(user=request.user, pk=pk)
        since = _query(s.LogQuerySerializer, request).get("since")
        page = self.paginate_queryset(selectors.practice_logs(program=program, since=since))
        return self.get_paginated_response(s.PracticeLogSerializer(page, many=True).data)

    @extend_schema(
        request=s.PracticeLogInputSerializer,
        responses={
            201: s.PracticeLogSerializer,
            200: OpenApiResponse(s.PracticeLogSerializer, description="Added to that day's log"),
            400: E400,
            401: E401,
            403: E403,
            404: E404,
            409: E409,
        },
    )
    def post(self, request, pk: int):
        """Log a practice day (the program's client); a second log for a day adds to it."""
        program = selectors.program_get_for(user=request.user, pk=pk)
        data = s.PracticeLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log, created = practice.practice_log_record(
            program=program, by=request.user, **data.validated_data
        )
        return Response(
            s.PracticeLogSerializer(log).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PracticeLogDayView(APIView):  # no get_object: OPTIONS must not ask for one
    serializer_class = s.PracticeLogSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        request=s.PracticeLogEditSerializer,
        responses={
            200: s.PracticeLogSerializer,
            400: E400,
            401: E401,
            403: E403,
            404: E404,
            409: E409,
        },
    )
    def put(self, request, pk: int, day: str):
        """Replace a logged day with this entry (the client's explicit edit)."""
        program = selectors.program_get_for(user=request.user, pk=pk)
        when = s.LogDaySerializer(data={"date": day})
        when.is_valid(raise_exception=True)
        data = s.PracticeLogEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        log = practice.practice_log_update(
            program=program, by=request.user, **when.validated_data, **data.validated_data
        )
        return Response(s.PracticeLogSerializer(log).data)


@extend_schema(responses={200: s.ProgramTemplateSerializer(many=True), 401: E401, 403: E403})
class ProgramTemplateListView(generics.ListAPIView):
    """Program templates to start from (staff)."""

    serializer_class = s.ProgramTemplateSerializer

    def get_queryset(self):
        _require_staff(self.request)
        return selectors.template_list()
