"""Who may open a page: staff pages answer 403 to clients; anonymous visitors log in first."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from studio.kernel.errors import NotFound

from ..selectors import viewer_timezone


def staff_required(view):
    """Logged-in studio staff only: anonymous visitors log in first, others get the site's 403
    page (templates/403.html, through studio/error_views.py). The one staff guard of the pages."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_studio_staff:
            raise PermissionDenied("This page is for studio staff.")
        return view(request, *args, **kwargs)

    return wrapper


def client_required(view):
    """Logged-in clients with a profile only; the same 403 page for everyone else."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != "client" or not hasattr(request.user, "client"):
            raise PermissionDenied("This page is for clients.")
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
