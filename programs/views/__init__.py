"""Pages of the programs app: catalog (staff), builder (staff), the client's program (portal)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404

from studio.kernel.errors import NotFound


def staff_required(view):
    """Logged-in studio staff only (others get 403, anonymous visitors the login page)."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_studio_staff:
            raise PermissionDenied("This page is for studio staff.")
        return view(request, *args, **kwargs)

    return wrapped


def client_required(view):
    """Logged-in clients with a profile only."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.role != "client" or not hasattr(request.user, "client"):
            raise PermissionDenied("This page is for clients.")
        return view(request, *args, **kwargs)

    return wrapped


def or_404(select, **kwargs):
    """Call a selector; its NotFound becomes the page's 404."""
    try:
        return select(**kwargs)
    except NotFound:
        raise Http404 from None
