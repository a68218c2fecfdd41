"""The guard in front of every calendar address Tonic fetches from the server, so that a staff
account (or a stolen one) cannot make the server read its own network: Redis on 127.0.0.1,
cloud metadata on 169.254.169.254, services on 10.x/192.168.x.

The rules, for a URL about to be fetched (`check_url`):
- http and https only (webcal:// is rewritten to https:// first, by `web_url`).
- The port is one of the usual web and CalDAV ports (WEB_PORTS): 80, 443, 8008, 8080, 8443,
  5232 (Radicale). Other ports are refused, so the server cannot be used to probe arbitrary
  services on public hosts either.
- The host name is resolved (socket.getaddrinfo) and EVERY address it gives must be public:
  `ipaddress.is_global`, and not multicast, reserved, loopback, link-local, private or
  unspecified. IPv4 addresses inside IPv6 ones (::ffff:127.0.0.1, 6to4 2002::/16, NAT64
  64:ff9b::/96) are judged by the IPv4 address; Teredo tunnels are refused. A name that does not resolve is refused too.
- settings.CALENDAR_ALLOW_PRIVATE_HOSTS (off by default) turns the address and port rules off,
  for a self-hosted studio whose CalDAV server is on its own network (and for the test suite,
  whose servers listen on 127.0.0.1). The scheme rule stays.

Where it is applied: the calendar form (a clear error, nothing saved; there is no API for
connections), `fetch_ics` right before each fetch and at every redirect it would follow
(`opener`; the password is not sent on to another host), and for CalDAV before the client is
made and then before every request the client sends (`guard_session`: a niquests "pre_request"
hook, which also runs for each redirect hop and for event addresses on other hosts that a server
names; each address once per batch. caldav must be on niquests, its default, or nothing is
sent). Checking at fetch time matters: DNS can change between saving and fetching, and a
connection saved earlier (or edited in the admin) is checked by the job all the same.

Not covered: the time between the check and the connection. A host name can resolve to a public
address for the check and to a private one a moment later (DNS rebinding, with a very short TTL).
Closing that would need connecting to the very address that was checked (pinning the resolved IP
in the HTTP libraries' connection code); Tonic does not do that. An HTTP proxy named in the
environment (HTTP_PROXY, honoured by urllib and niquests) sees the request instead; the check is
on the calendar's address, so a proxy that can reach private networks reopens them.
"""

import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

WEB_PORTS = frozenset({80, 443, 8008, 8080, 8443, 5232})
PRIVATE_MESSAGE = "This address is on a private network; Tonic only reads public calendars."
PORT_MESSAGE = (
    "Tonic only reads calendars on the usual web ports ("
    + ", ".join(str(p) for p in sorted(WEB_PORTS))
    + ")."
)
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A calendar address did not give a calendar; the message is shown to the specialist."""


class AddressRefused(FetchError):
    """The address is one Tonic will not fetch from (private network, odd port, bad scheme)."""


def web_url(url: str) -> str:
    """A calendar address as it is fetched: webcal:// (a subscription link) read as https://."""
    if url.lower().startswith("webcal://"):
        return "https://" + url[len("webcal://") :]
    return url


def private_hosts_allowed() -> bool:
    return bool(getattr(settings, "CALENDAR_ALLOW_PRIVATE_HOSTS", False))


def is_public(ip: IPAddress) -> bool:
    """Whether an address is on the public internet (an embedded IPv4 address decides)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:  # a tunnel to an IPv4 host we cannot judge: refuse
            return False
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:  # a NAT64 gateway reaches the IPv4 in its last bits
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return ip.is_global and not (
        ip.is_multicast
        or ip.is_reserved
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_unspecified
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the host name resolves to. Raises AddressRefused if it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise AddressRefused(f"Could not find the server {host!r}.") from exc
    # The scope of an IPv6 link-local address ("fe80::1%eth0") is not part of the address.
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_url(url: str) -> None:
    """Refuse a URL Tonic must not fetch from the server. Raises AddressRefused (its message is
    for the specialist and names no internal detail)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise AddressRefused("That is not a valid address.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise AddressRefused("Only http(s) and webcal addresses can be read.")
    host = parts.hostname
    if not host:
        raise AddressRefused("That address has no server name.")
    if private_hosts_allowed():
        return
    if "%" in host or "\\" in parts.netloc or any(c.isspace() for c in parts.netloc):
        # Escapes and backslashes are read differently by different URL parsers.
        raise AddressRefused("That is not a valid address.")
    port = port or (443 if parts.scheme.lower() == "https" else 80)
    addresses = resolve(host, port)
    if not addresses or not all(is_public(ip) for ip in addresses):
        raise AddressRefused(PRIVATE_MESSAGE)
    if port not in WEB_PORTS:
        raise AddressRefused(PORT_MESSAGE)


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address check_url allows; never send the calendar's
    password to another server."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        try:
            check_url(newurl)
        except AddressRefused:
            fp.close()  # urllib closes the redirect's answer (and its socket) only after following
            raise
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlsplit(newurl).netloc != urlsplit(req.full_url).netloc:
            new.remove_header("Authorization")
        return new


def opener() -> urllib.request.OpenerDirector:
    """A urllib opener whose redirects are checked (call check_url on the first URL)."""
    return urllib.request.build_opener(_CheckedRedirects)


def guard_session(session) -> None:
    """Check every request a niquests session sends (each redirect hop too) before it is sent.
    Addresses already allowed in this session are not resolved again."""
    allowed: set[tuple[str, str]] = set()

    def check(request):
        parts = urlsplit(request.url)
        key = (parts.scheme, parts.netloc)
        if key not in allowed:
            check_url(request.url)
            allowed.add(key)
        return request

    if "pre_request" not in session.hooks:  # requests (caldav's fallback) has no such hook
        raise RuntimeError("CalDAV requests cannot be checked: caldav is not using niquests.")
    session.hooks["pre_request"].append(check)
