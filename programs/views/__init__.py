"""Pages of the programs app: catalog (staff), builder (staff), the client's program (portal)."""

from django.http import Http404

from studio.kernel.errors import NotFound


def or_404(select, **kwargs):
    """Call a selector; its NotFound becomes the page's 404."""
    try:
        return select(**kwargs)
    except NotFound:
        raise Http404 from None
