"""GET /api/reports/?start=YYYY-MM-DD&end=YYYY-MM-DD[&format=csv] (owner), ../shared/API.md."""

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from studio.kernel import fields
from studio.kernel.errors import NotAllowed
from studio.kernel.schema import error_responses

from .export import report_csv
from .selectors import studio_report


class ReportQuerySerializer(serializers.Serializer):
    start = fields.DateField(help_text="First local date (studio's zone), included.")
    end = fields.DateField(help_text="Last local date, included.")
    format = serializers.ChoiceField(choices=["json", "csv"], required=False)


class RevenueSerializer(serializers.Serializer):
    paid_online = serializers.IntegerField()
    paid_in_studio = serializers.IntegerField()
    refunded = serializers.IntegerField()
    net = serializers.IntegerField(help_text="paid_online + paid_in_studio - refunded")


class SpecialistRowSerializer(serializers.Serializer):
    specialist = serializers.IntegerField()
    name = serializers.CharField()
    booked_minutes = serializers.IntegerField()
    available_minutes = serializers.IntegerField()
    utilisation = serializers.FloatField(help_text="booked_minutes / available_minutes")
    net = serializers.IntegerField()


class WeekSerializer(RevenueSerializer):
    week = serializers.DateField(help_text="The week's Monday")
    bookings = serializers.IntegerField()


class ClassRowSerializer(serializers.Serializer):
    class_type = serializers.IntegerField()
    name = serializers.CharField()
    held = serializers.IntegerField(help_text="Classes held (not cancelled) in the range")
    cancelled = serializers.IntegerField()
    places_offered = serializers.IntegerField(
        help_text="Sum over the classes held of min(capacity, equipment units)"
    )
    booked = serializers.IntegerField(help_text="Places given: confirmed, completed, no-show")
    attended = serializers.IntegerField(help_text="Places ticked on the roster")
    no_shows = serializers.IntegerField()
    fill_rate = serializers.FloatField(help_text="booked / places_offered")
    waitlist = serializers.IntegerField(help_text="Clients who joined a held class's waitlist")


class ReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    revenue = RevenueSerializer()
    by_specialist = SpecialistRowSerializer(many=True)
    weeks = WeekSerializer(many=True)
    no_show_rate = serializers.FloatField()
    late_cancel_rate = serializers.FloatField()
    new_clients = serializers.IntegerField()
    returning_clients = serializers.IntegerField()
    classes = ClassRowSerializer(many=True, help_text="Per class type, by name")


class ReportView(APIView):
    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request, force=False):
        """`format=csv` is this view's own parameter (answered below), not DRF's format
        override; everything else, errors included, is JSON."""
        return JSONRenderer(), JSONRenderer.media_type

    @extend_schema(
        operation_id="reports_retrieve",
        parameters=[
            ReportQuerySerializer,
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
        ],
        responses={
            (200, "application/json"): OpenApiResponse(ReportSerializer, description="JSON"),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="With format=csv"),
            **error_responses(400, 401, 403),
        },
        description="Owner only. Revenue counts the money of the bookings that start in the "
        "range (bookings/money.py); every week of the range is listed, empty ones too.",
    )
    def get(self, request):
        if not request.user.is_owner:
            raise NotAllowed("Reports are for the studio owner.")
        query = ReportQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        report = studio_report(start=q["start"], end=q["end"])
        if q.get("format") == "csv":
            response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
            name = f"tonic-report-{q['start']}-{q['end']}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return Response(report.as_dict())


urlpatterns = [path("reports/", ReportView.as_view(), name="api-reports")]
