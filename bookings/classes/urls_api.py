"""API paths for classes, waitlists and resources (under /api/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("classes/", api.ClassListCreateView.as_view(), name="api-classes"),
    path("classes/<int:pk>/", api.ClassDetailView.as_view(), name="api-class"),
    path("classes/<int:pk>/cancel/", api.ClassCancelView.as_view(), name="api-class-cancel"),
    path("classes/<int:pk>/book/", api.ClassBookView.as_view(), name="api-class-book"),
    path("classes/<int:pk>/waitlist/", api.ClassWaitlistView.as_view(), name="api-class-waitlist"),
    path("classes/<int:pk>/roster/", api.ClassRosterView.as_view(), name="api-class-roster"),
    path("classes/<int:pk>/check-in/", api.ClassCheckInView.as_view(), name="api-class-check-in"),
    path("waitlist/claim/", api.WaitlistClaimView.as_view(), name="api-waitlist-claim"),
    path("resources/", api.ResourceListView.as_view(), name="api-resources"),
]
