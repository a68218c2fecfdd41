"""Pages for classes: the timetable, booking and waitlist forms, offer claims, the roster."""

from django.urls import path

from . import views

urlpatterns = [
    path("classes/", views.timetable, name="classes"),
    path("classes/<id:pk>/book/", views.book, name="class-book"),
    path("classes/<id:pk>/waitlist/", views.join_waitlist, name="class-waitlist"),
    path("classes/claim/<str:token>/", views.claim, name="class-claim"),
    path("studio/classes/<id:pk>/", views.roster, name="class-roster"),
    path("studio/classes/<id:pk>/check-in/", views.check_in, name="class-check-in"),
]
