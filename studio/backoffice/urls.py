from django.urls import path

from . import views

urlpatterns = [
    path("studio/settings/", views.settings_home, name="settings-home"),
    path("studio/settings/services/", views.settings_services, name="settings-services"),
    path("studio/settings/services/<slug:slug>/", views.settings_service, name="settings-service"),
    path("studio/settings/staff/", views.settings_staff, name="settings-staff"),
    path(
        "studio/settings/staff/<id:pk>/active/",
        views.settings_staff_active,
        name="settings-staff-active",
    ),
]
