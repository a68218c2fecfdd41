from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.media import media_serve

from . import views

api: list[URLPattern | URLResolver] = [
    path("", include("accounts.api.urls")),
    path("", include("programs.api.urls")),
    path("", include("bookings.catalog.api")),  # before bookings.api: adds POST to services/
    path("", include("bookings.api.urls")),
    path("", include("bookings.desk.api")),
    path("", include("bookings.reports.api")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("portal/", views.portal, name="portal"),
    path("workspace/", views.workspace, name="workspace"),
    path("studio/schedule/", views.schedule, name="studio-schedule"),
    path("studio/reports/", views.reports, name="studio-reports"),
    path("", include("studio.client_file")),
    path("", include("studio.backoffice.urls")),
    path("api/", include(api)),
    path("", include("accounts.urls")),
    path("", include("programs.urls")),
    path("", include("bookings.urls")),
    path("", include("bookings.desk.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    # Uploaded pictures on the embedded default's filesystem (S3 serves its own: settings.py).
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media_serve),
]

# Styled pages for people, JSON under /api/ (studio/error_views.py); used when DEBUG is off.
handler400 = "studio.error_views.bad_request"
handler403 = "studio.error_views.permission_denied"
handler404 = "studio.error_views.page_not_found"
handler500 = "studio.error_views.server_error"
