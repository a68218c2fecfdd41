from django.urls import path

from . import views

urlpatterns = [
    path("exercises/", views.ExerciseListView.as_view(), name="api-exercises"),
    path("exercises/<id:pk>/", views.ExerciseDetailView.as_view(), name="api-exercise"),
    path("program-templates/", views.ProgramTemplateListView.as_view(), name="api-templates"),
    path("programs/", views.ProgramListView.as_view(), name="api-programs"),
    path("programs/<id:pk>/", views.ProgramDetailView.as_view(), name="api-program"),
    path("programs/<id:pk>/publish/", views.ProgramPublishView.as_view()),
    path("programs/<id:pk>/complete/", views.ProgramCompleteView.as_view()),
    path("programs/<id:pk>/archive/", views.ProgramArchiveView.as_view()),
    path("programs/<id:pk>/versions/", views.ProgramVersionListView.as_view()),
    path("programs/<id:pk>/logs/", views.PracticeLogListView.as_view(), name="api-program-logs"),
    path("programs/<id:pk>/logs/<str:day>/", views.PracticeLogDayView.as_view()),
]
