"""Who may open a page: staff pages answer 403 to clients; anonymous visitors log in first."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from studio.kernel.errors import NotFound

from ..selectors import viewer_timezone


def _forbidden(request, text: str):
    return render(request, "studio/error.html", {"title": text}, status=403)


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_studio_staff:
            return _forbidden(request, "This page is for studio staff.")
        return view(request, *args, **kwargs)

    return wrapper


def client_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != "client":
            return _forbidden(request, "This page is for clients.")
        return view(request, *args, **kwargs)

    return wrapper


def or_404(selector, **kwargs):
    """Call a selector; its NotFound becomes the page 404 (Http404)."""
    try:
        return selector(**kwargs)
    except NotFound as exc:
        raise Http404(exc.detail) from exc


def in_viewer_timezone(view):
    """Render the page's times in the viewer's zone (specialist/client own zone, else studio)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(viewer_timezone(request.user)):
            return view(request, *args, **kwargs)

    return wrapper
