from django.db import connection
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """The trivial view: one SELECT 1 and a tiny JSON answer, like Tonic's /healthz (which also
    pings its broker)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"database": "ok"})


urlpatterns = [path("appointment/", include("appointment.urls")), path("healthz", healthz)]
