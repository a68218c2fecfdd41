"""API of the bookings app: the booking engine's routes here (catalogue, availability, bookings);
payments, calendars and reminders each include their own."""

from django.urls import include, path

from ..models import Booking
from ..passes.urls import api_urlpatterns
from . import views

urlpatterns = [
    path("services/", views.ServiceListView.as_view(), name="api-services"),
    path("specialists/", views.SpecialistListView.as_view(), name="api-specialists"),
    path("availability/", views.AvailabilityView.as_view(), name="api-availability"),
    path("bookings/", views.BookingListCreateView.as_view(), name="api-bookings"),
    path("bookings/<id:pk>/", views.BookingDetailView.as_view(), name="api-booking"),
    path("bookings/<id:pk>/cancel/", views.BookingCancelView.as_view(), name="api-booking-cancel"),
    path(
        "bookings/<id:pk>/reschedule/",
        views.BookingRescheduleView.as_view(),
        name="api-booking-reschedule",
    ),
    path(
        "bookings/<id:pk>/complete/",
        views.BookingMarkView.as_view(mark_as=Booking.Status.COMPLETED),
        name="api-booking-complete",
    ),
    path(
        "bookings/<id:pk>/no-show/",
        views.BookingMarkView.as_view(mark_as=Booking.Status.NO_SHOW),
        name="api-booking-no-show",
    ),
    path("", include("bookings.payments.api.urls")),
    path("", include("bookings.calendars.api.urls")),
    path("", include("bookings.reminders.api.urls")),
    path("", include("bookings.classes.urls_api")),
    path("", include(api_urlpatterns)),
]
