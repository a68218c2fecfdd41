"""API for a person's secret calendar feed URLs: list (created lazily), regenerate, revoke."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from bookings.calendars.feeds import (
    calendar_feed_regenerate,
    calendar_feed_revoke,
    calendar_feeds_ensure,
    feed_url,
    webcal_url,
)
from bookings.models import CalendarFeed


class CalendarFeedSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CalendarFeed.Kind.choices)
    label = serializers.CharField(source="get_kind_display")  # type: ignore[assignment]
    url = serializers.SerializerMethodField()
    webcal_url = serializers.SerializerMethodField()

    def get_url(self, feed) -> str:
        return feed_url(feed)

    def get_webcal_url(self, feed) -> str:
        return webcal_url(feed)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


KIND_PARAM = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=["specialist", "client", "studio", "program"]
)
ERRORS = {
    401: OpenApiResponse(DetailSerializer, description="Not logged in"),
    404: OpenApiResponse(DetailSerializer, description="The caller has no feed of that kind"),
}


class CalendarFeedListView(APIView):
    @extend_schema(
        operation_id="calendar_feeds_list",
        responses={200: CalendarFeedSerializer(many=True), 401: ERRORS[401]},
        description="The caller's secret ICS feed URLs (specialist schedule, client bookings, "
        "whole studio for the owner, practice sessions for a client with an active program), "
        "created on first request.",
    )
    def get(self, request):
        feeds = calendar_feeds_ensure(user=request.user)
        return Response(CalendarFeedSerializer(feeds, many=True).data)


class CalendarFeedDetailView(APIView):
    @extend_schema(
        operation_id="calendar_feeds_revoke",
        parameters=[KIND_PARAM],
        request=None,
        responses={204: None, **ERRORS},
        description="Revoke a feed: its URL stops working. Listing feeds makes a new one.",
    )
    def delete(self, request, kind: str):
        calendar_feed_revoke(user=request.user, kind=kind)
        return Response(status=204)


class CalendarFeedRegenerateView(APIView):
    @extend_schema(
        operation_id="calendar_feeds_regenerate",
        parameters=[KIND_PARAM],
        request=None,
        responses={200: CalendarFeedSerializer, **ERRORS},
        description="Give a feed a new secret URL; the old one stops working at once.",
    )
    def post(self, request, kind: str):
        feed = calendar_feed_regenerate(user=request.user, kind=kind)
        return Response(CalendarFeedSerializer(feed).data)
