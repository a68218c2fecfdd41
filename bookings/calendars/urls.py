"""Calendar pages: the ICS feed at the site root and the staff calendar settings."""

from django.urls import path

from bookings.calendars import views

urlpatterns = [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("workspace/calendars/", views.calendar_settings, name="calendar-settings"),
    path(
        "workspace/calendars/connections/",
        views.calendar_connections_fragment,
        name="calendar-connections",
    ),
    path(
        "workspace/calendars/connections/add/",
        views.calendar_connection_add,
        name="calendar-connection-add",
    ),
    path(
        "workspace/calendars/connections/<id:pk>/sync/",
        views.calendar_connection_sync,
        name="calendar-connection-sync",
    ),
    path(
        "workspace/calendars/connections/<id:pk>/remove/",
        views.calendar_connection_delete,
        name="calendar-connection-remove",
    ),
    path(
        "calendar/feeds/<str:kind>/new-link/",
        views.calendar_feed_new_link,
        name="calendar-feed-new-link",
    ),
]
