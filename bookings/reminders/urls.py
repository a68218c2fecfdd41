"""Reminder pages (included at the site root)."""

from django.urls import path

from bookings.reminders.views import reminders_page

urlpatterns = [
    path("studio/reminders/", reminders_page, name="studio-reminders"),
]
