"""API of the bookings app; each concern keeps its own urls module."""

from django.urls import include, path

from ..passes.urls import api_urlpatterns

urlpatterns = [
    path("", include("bookings.api.urls_booking")),
    path("", include("bookings.api.urls_payments")),
    path("", include("bookings.api.urls_calendars")),
    path("", include("bookings.api.urls_reminders")),
    path("", include("bookings.classes.urls_api")),
    path("", include(api_urlpatterns)),
]
