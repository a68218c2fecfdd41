"""The bookings section of the staff client file: upcoming and past bookings with payments."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts import access
from accounts.selectors import viewer_timezone
from studio.kernel.panels import Panel, panel

from ..models import Booking, Payment

PAST_LIMIT = 20


def client_bookings(*, user, client) -> tuple[list[Booking], list[Booking]]:
    """(upcoming, past) bookings of a client that this staff user may see (every booking of a
    client on their care team, whoever the specialist: accounts/access.py); constant queries."""
    qs = (
        Booking.objects.filter(access.client_filter(user, "client__"), client=client)
        .select_related("service", "specialist__user")
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("created", "pk")))
    )
    now = timezone.now()
    live = (Booking.Status.HELD, Booking.Status.CONFIRMED)
    upcoming = list(qs.filter(start__gte=now, status__in=live).order_by("start", "pk"))
    past = list(qs.exclude(pk__in=[b.pk for b in upcoming]).order_by("-start", "-pk")[:PAST_LIMIT])
    return upcoming, past


def client_file(request, client=None) -> list[Panel]:
    """For a staff page about one client: their bookings and what was paid."""
    if client is None or not request.user.is_studio_staff:
        return []
    upcoming, past = client_bookings(user=request.user, client=client)
    return [
        panel(
            request,
            title="Bookings",
            template="bookings/panels/client_file.html",
            context={
                "upcoming": upcoming,
                "past": past,
                "client": client,
                "tz": viewer_timezone(request.user),
                "past_limit": PAST_LIMIT,
            },
            order=35,
            wide=True,
        )
    ]
