"""Pages: /programs/ for staff (list, builder, catalog, templates), /portal/program/ for clients."""

from django.urls import path

from .views import builder, catalog, portal

app_name = "programs"

urlpatterns = [
    path("programs/", builder.program_list, name="list"),
    path("programs/new/", builder.program_new, name="new"),
    path("programs/<id:pk>/", builder.program_builder, name="builder"),
    path("programs/<id:pk>/search/", builder.builder_search, name="builder-search"),
    path("programs/<id:pk>/row/", builder.builder_row, name="builder-row"),
    path("programs/<id:pk>/status/", builder.program_status, name="status"),
    path("programs/<id:pk>/save-template/", builder.program_save_template, name="save-template"),
    path("programs/<id:pk>/print/", builder.program_print, name="print"),
    path("programs/templates/", builder.template_list, name="templates"),
    path("programs/exercises/", catalog.exercise_list, name="exercises"),
    path("programs/exercises/new/", catalog.exercise_edit, name="exercise-new"),
    path("programs/exercises/<slug:slug>/", catalog.exercise_detail, name="exercise"),
    path("programs/exercises/<slug:slug>/edit/", catalog.exercise_edit, name="exercise-edit"),
    path("portal/program/", portal.my_program, name="portal"),
    path("portal/program/<id:pk>/", portal.program_view, name="portal-program"),
    path("portal/program/<id:pk>/log/", portal.program_log, name="portal-log"),
    path("portal/program/<id:pk>/print/", portal.program_print, name="portal-print"),
]
