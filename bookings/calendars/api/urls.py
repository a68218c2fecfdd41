"""API of calendar feeds: GET /api/calendar-feeds/ and per-kind regenerate/revoke."""

from django.urls import path

from bookings.calendars.api.views import (
    CalendarFeedDetailView,
    CalendarFeedListView,
    CalendarFeedRegenerateView,
)

urlpatterns = [
    path("calendar-feeds/", CalendarFeedListView.as_view(), name="api-calendar-feeds"),
    path(
        "calendar-feeds/<str:kind>/",
        CalendarFeedDetailView.as_view(),
        name="api-calendar-feed",
    ),
    path(
        "calendar-feeds/<str:kind>/regenerate/",
        CalendarFeedRegenerateView.as_view(),
        name="api-calendar-feed-regenerate",
    ),
]
