from django.urls import path

from .reminders import ReminderListView

urlpatterns = [
    path("reminders/", ReminderListView.as_view(), name="api-reminders"),
]
