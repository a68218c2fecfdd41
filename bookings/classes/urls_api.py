"""API paths for classes, waitlists and resources (under /api/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("classes/", api.ClassListCreateView.as_view(), name="api-classes"),
    path("classes/<id:pk>/", api.ClassDetailView.as_view(), name="api-class"),
    path("classes/<id:pk>/cancel/", api.ClassCancelView.as_view(), name="api-class-cancel"),
    path("classes/<id:pk>/book/", api.ClassBookView.as_view(), name="api-class-book"),
    path("classes/<id:pk>/waitlist/", api.ClassWaitlistView.as_view(), name="api-class-waitlist"),
    path("classes/<id:pk>/roster/", api.ClassRosterView.as_view(), name="api-class-roster"),
    path("classes/<id:pk>/check-in/", api.ClassCheckInView.as_view(), name="api-class-check-in"),
    path("waitlist/claim/", api.WaitlistClaimView.as_view(), name="api-waitlist-claim"),
    path("resources/", api.ResourceListView.as_view(), name="api-resources"),
]
