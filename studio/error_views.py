"""Error pages: styled HTML for people, JSON for programs under /api/ and /webhooks/.

Django calls these with DEBUG off (handler400/403/404/500 in studio/urls.py, CSRF_FAILURE_VIEW
in settings), so a visitor never sees a traceback or Django's bare default pages. The 400 and
500 pages are rendered without the request's context processors: those read the database (the
studio's name), which may be what just failed, and a malformed request may carry a bad host.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

from studio.context import last_studio_name

JSON_PREFIXES = ("/api/", "/webhooks/")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def _render_standalone(template_name: str, status: int) -> HttpResponse:
    """A page that needs neither the database nor the request: the base layout, anonymous."""
    html = loader.get_template(template_name).render({"studio": {"name": last_studio_name()}})
    return HttpResponse(html, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    return _render_standalone("400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403; the message given to PermissionDenied (e.g. "Reports are for the studio owner.")."""
    message = str(exception or "")
    if _wants_json(request):
        detail = message or "You do not have permission to perform this action."
        return JsonResponse({"detail": detail}, status=403)
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Server error."}, status=500)
    return _render_standalone("500.html", status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a stale page (or with cookies off): say how to recover."""
    heading = "This form has expired"
    message = (
        "For your safety a form must be sent from a freshly loaded page, with cookies allowed "
        "for this site. Go back, reload the page and send it again."
    )
    return render(request, "403.html", {"heading": heading, "message": message}, status=403)
