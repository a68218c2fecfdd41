"""Pages of the bookings app: the booking engine's here (the public flow, the manage page, staff
settings and schedule); payments, calendars and reminders each include their own."""

from django.urls import include, path

from bookings.views import public as views
from bookings.views import staff as views_staff

urlpatterns = [
    path("book/", views.book_services, name="book"),
    path("book/<slug:slug>/", views.book_specialist, name="book-specialist"),
    path("book/<slug:slug>/times/", views.book_times, name="book-times"),
    path("book/<slug:slug>/details/", views.book_details, name="book-details"),
    path("bookings/manage/<str:token>/", views.manage, name="booking-manage"),
    path("bookings/manage/<str:token>/cancel/", views.manage_cancel, name="booking-manage-cancel"),
    path("bookings/manage/<str:token>/booking.ics", views.manage_ics, name="booking-manage-ics"),
    path(
        "bookings/manage/<str:token>/reschedule/",
        views.manage_reschedule,
        name="booking-manage-reschedule",
    ),
    path("studio/availability/", views_staff.availability_settings, name="booking-availability"),
    path("studio/schedule/events/", views_staff.schedule_events, name="booking-schedule-events"),
    path("studio/bookings/<id:pk>/", views_staff.staff_booking, name="booking-staff"),
    path(
        "studio/bookings/<id:pk>/action/",
        views_staff.staff_booking_action,
        name="booking-staff-action",
    ),
    path("", include("bookings.payments.urls")),
    path("", include("bookings.calendars.urls")),
    path("", include("bookings.reminders.urls")),
    path("", include("bookings.classes.urls")),
    path("", include("bookings.passes.urls")),
]
