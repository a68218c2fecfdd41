from django.urls import path

from . import views

urlpatterns = [
    path("exercises/", views.ExerciseListView.as_view(), name="api-exercises"),
    path("exercises/<int:pk>/", views.ExerciseDetailView.as_view(), name="api-exercise"),
    path("program-templates/", views.ProgramTemplateListView.as_view(), name="api-templates"),
    path("programs/", views.ProgramListView.as_view(), name="api-programs"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="api-program"),
    path("programs/<int:pk>/publish/", views.ProgramPublishView.as_view()),
    path("programs/<int:pk>/complete/", views.ProgramCompleteView.as_view()),
    path("programs/<int:pk>/archive/", views.ProgramArchiveView.as_view()),
    path("programs/<int:pk>/versions/", views.ProgramVersionListView.as_view()),
    path("programs/<int:pk>/logs/", views.PracticeLogListView.as_view(), name="api-program-logs"),
    path("programs/<int:pk>/logs/<str:day>/", views.PracticeLogDayView.as_view()),
]
