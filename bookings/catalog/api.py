"""POST /api/services/ and PATCH /api/services/{slug}/ (owner), ../shared/API.md.

The API names two fields more plainly than the model: `clients_only` (audience "existing") and
`active` (is_active). Answers are the service as GET /api/services/ shows it.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel import fields
from studio.kernel.errors import NotAllowed, NotFound
from studio.kernel.schema import error_responses

from ..api.serializers import ServiceSerializer
from ..api.views import ServiceListView
from ..models import Service
from .services import service_create, service_update

MINOR = "Minor units of the studio's currency."


class ServiceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    duration_minutes = serializers.IntegerField(min_value=5, max_value=24 * 60)
    buffer_before_minutes = serializers.IntegerField(required=False, min_value=0, max_value=240)
    buffer_after_minutes = serializers.IntegerField(required=False, min_value=0, max_value=240)
    price = serializers.IntegerField(min_value=0, max_value=10**9, help_text=MINOR)
    deposit = serializers.IntegerField(
        required=False, min_value=0, max_value=10**9, help_text=MINOR
    )
    specialists = serializers.ListField(child=fields.IdField(), required=False, max_length=100)
    clients_only = serializers.BooleanField(required=False)
    intake_required = serializers.BooleanField(required=False)
    active = serializers.BooleanField(required=False)

    def model_values(self) -> dict:
        """Validated data in the model's names."""
        data = dict(self.validated_data)
        if "clients_only" in data:
            only = data.pop("clients_only")
            data["audience"] = Service.Audience.EXISTING if only else Service.Audience.ANYONE
        if "active" in data:
            data["is_active"] = data.pop("active")
        return data


class ServiceCreateSerializer(ServiceWriteSerializer):
    slug = serializers.SlugField(required=False, max_length=50)


def _owner(request) -> None:
    if not request.user.is_owner:
        raise NotAllowed("Only the studio owner can change the services.")


class ServiceCreateView(ServiceListView):
    """GET as before (public); POST adds a service (owner)."""

    def get_permissions(self):
        return super().get_permissions() if self.request.method == "GET" else [IsAuthenticated()]

    @extend_schema(
        operation_id="services_create",
        request=ServiceCreateSerializer,
        responses={201: ServiceSerializer, **error_responses(400, 401, 403, 409)},
    )
    def post(self, request):
        _owner(request)
        data = ServiceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = service_create(by=request.user, **data.model_values())
        return Response(ServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class ServiceDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="services_update",
        request=ServiceWriteSerializer,
        responses={200: ServiceSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request, slug: str):
        _owner(request)
        service = Service.objects.filter(slug=slug).first()
        if service is None:
            raise NotFound("No such service.")
        data = ServiceWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        service = service_update(by=request.user, service=service, **data.model_values())
        return Response(ServiceSerializer(service).data)


urlpatterns = [
    path("services/", ServiceCreateView.as_view(), name="api-services"),
    path("services/<slug:slug>/", ServiceDetailView.as_view(), name="api-service"),
]
