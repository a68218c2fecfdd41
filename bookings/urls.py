"""Pages of the bookings app; each concern keeps its own urls module."""

from django.urls import include, path

urlpatterns = [
    path("", include("bookings.urls_booking")),
    path("", include("bookings.urls_payments")),
    path("", include("bookings.urls_calendars")),
    path("", include("bookings.urls_reminders")),
    path("", include("bookings.classes.urls")),
    path("", include("bookings.passes.urls")),
]
