"""Rate limits that hold across processes, kept in Django's cache (the database cache by default).

A window of `period` seconds allows `limit` hits. Each hit claims one numbered slot with
`cache.add`, which is atomic in every shared backend (a unique key in the database cache, SET NX
in Redis), so concurrent processes can never hand out more than `limit` slots per window. A
separate counter only tells the next caller where to start looking.
"""

import hashlib
import ipaddress
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from studio.kernel.errors import RateLimited

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])[a-z]*\s*$", re.IGNORECASE)


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/h' -> (10, 3600); also '5/min', '100/day', '3/10m'."""
    match = RATE_RE.match(rate or "")
    if not match:
        raise ImproperlyConfigured(f"Cannot read the rate {rate!r}; write it like '10/h'.")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * UNITS[unit.lower()]


def client_ip(request) -> str:
    """The caller's address. Behind a reverse proxy, studio.middleware.ReverseProxyMiddleware
    (TRUSTED_PROXY_COUNT) has already put the client's address, not a forgeable one, here."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_key(address: str) -> str:
    """What a limit counts an address as: itself for IPv4, its /64 network for IPv6 (one
    subscriber usually holds a whole /64, and could otherwise take a fresh address per try)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def hit(*, scope: str, key: str, rate: str, now: float | None = None) -> tuple[bool, int]:
    """Count one hit; returns (allowed, seconds until the window resets)."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    # Hash the key: no IP addresses in the cache table.
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    base = f"rl:{scope}:{digest}:{window}"
    timeout = period + 60
    start = cache.get(f"{base}:next") or 0
    for slot in range(start, limit):
        if cache.add(f"{base}:{slot}", 1, timeout=timeout):
            cache.set(f"{base}:next", slot + 1, timeout=timeout)
            return True, retry_after
    return False, retry_after


def check(request, *, scope: str, rate: str, key: str | None = None) -> None:
    """Count a request against `key` (default: the caller's IP); raises RateLimited (429) past
    the rate."""
    if not settings.RATE_LIMITS or not rate or rate.lower() == "off":
        return
    key = key or address_key(client_ip(request))
    allowed, retry_after = hit(scope=scope, key=key, rate=rate)
    if not allowed:
        raise RateLimited("Too many requests; please try again later.", retry_after=retry_after)
