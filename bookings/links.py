"""The booking's manage link, the one way every message, feed and page builds it."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .models import Booking


def manage_path(booking: Booking) -> str:
    """The manage page's path (links within the site)."""
    return reverse("booking-manage", args=[booking.manage_token])


def manage_url(booking: Booking, zone: str = "") -> str:
    """The manage link for e-mails, SMS and calendar events; `zone` shows its times in the
    recipient's zone (without it the page uses the studio's: a link holder may be a stranger
    who typed the client's address)."""
    url = settings.SITE_URL + manage_path(booking)
    return f"{url}?{urlencode({'tz': zone})}" if zone else url
