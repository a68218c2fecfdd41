"""Rate limits on public booking writes (BOOKING_RATE), kept by the enquiry form's limiter.

Without them a script could fill a specialist's calendar with fake bookings and holds, or use
the confirmation e-mails to spam any address. `accounts.ratelimit` keeps the counts in Django's
cache, shared by every web process, and honours `RATE_LIMITS=off`.

Who is counted:
- studio staff (owner, specialists) never: they book many clients in a row at the desk;
- a logged-in client per account, wherever they connect from;
- anyone else per client address: REMOTE_ADDR, which ReverseProxyMiddleware sets from
  X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies (the same address the enquiry limit uses;
  an IPv6 address counts as its /64 network).

What is counted: every POST, before its body is read or validated, including those answered
400, 403 or 409. That is the simplest rule, and it also stops a script from probing (trying slot
after slot, or specialist ids) for free; a real client makes one to three attempts.

Two scopes, one rate: creating a booking ("booking") and changing one (cancel or reschedule,
"booking-manage") are counted apart, so a guest who just booked can still move the booking.
The manage token is 192 random bits, so guessing it is hopeless at any rate; the manage limit
mainly caps the e-mails and calendar updates each change sends (a booking flipped back and forth
by a script), and bounds guessing on the write endpoints besides.
"""

from django.conf import settings

from accounts import ratelimit

CREATE = "booking"
MANAGE = "booking-manage"


def _key(request) -> str | None:
    """Whom this request counts against; None for studio staff (never limited)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None if user.is_studio_staff else f"user:{user.pk}"
    return f"ip:{ratelimit.address_key(ratelimit.client_ip(request))}"


def check(request, *, scope: str) -> None:
    """Count one booking write in `scope` (CREATE or MANAGE); raises RateLimited (429) past
    BOOKING_RATE."""
    key = _key(request)
    if key is not None:
        ratelimit.check(request, scope=scope, rate=settings.BOOKING_RATE, key=key)
