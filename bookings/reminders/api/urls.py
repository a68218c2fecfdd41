from django.urls import path

from bookings.reminders.api.views import ReminderListView

urlpatterns = [
    path("reminders/", ReminderListView.as_view(), name="api-reminders"),
]
