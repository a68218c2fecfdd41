"""Pages that gather from several apps (home, dashboards) and the health check.

The apps' panels modules are listed in settings.DASHBOARD_PANELS (see studio/kernel/panels.py).
The pages here only check who may see them and lay the panels out; the rules live in the apps.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from studio.celery import app as celery_app
from studio.kernel.panels import collect_panels

log = logging.getLogger(__name__)


def _dashboard(request, page: str, title: str, lead: str = ""):
    return render(
        request,
        "studio/dashboard.html",
        {"panels": collect_panels(page, request), "title": title, "lead": lead, "page": page},
    )


def home(request):
    return render(request, "studio/home.html", {"panels": collect_panels("home", request)})


@login_required
def dashboard(request):
    """Where a login lands: the client's portal or the staff workspace."""
    return redirect("workspace" if request.user.is_studio_staff else "portal")


@login_required
def portal(request):
    if request.user.role != "client":
        raise PermissionDenied("The portal is for clients.")
    return _dashboard(request, "portal", f"Welcome, {request.user.first_name or 'there'}")


@login_required
def workspace(request):
    if not request.user.is_studio_staff:
        raise PermissionDenied("The workspace is for studio staff.")
    return _dashboard(request, "workspace", "Workspace", "Your day, your clients, your programs.")


@login_required
def schedule(request):
    if not request.user.is_studio_staff:
        raise PermissionDenied("The schedule is for studio staff.")
    return _dashboard(request, "schedule", "Schedule")


@login_required
def reports(request):
    if not request.user.is_owner:
        raise PermissionDenied("Reports are for the studio owner.")
    return _dashboard(request, "reports", "Reports")


@never_cache
def healthz(request):
    """Database and broker health: 200 when both answer, 503 otherwise."""
    result, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        result["database"] = "ok"
    except Exception as exc:  # any failure means unhealthy; say which part
        log.warning("healthz: database check failed: %s", exc)
        result["database"], healthy = "error", False
    if settings.CELERY_TASK_ALWAYS_EAGER:
        result["broker"] = "eager"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            result["broker"] = "ok"
        except Exception as exc:
            log.warning("healthz: broker check failed: %s", exc)
            result["broker"], healthy = "error", False
    return JsonResponse(result, status=200 if healthy else 503)
