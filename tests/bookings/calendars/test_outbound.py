"""Calendar connections cannot make the server read its own network (bookings/calendars/outbound.py): the
form refuses private addresses, and the jobs check again right before each fetch and at each
redirect. Real HTTP servers on loopback count every request they receive, so "nothing was
fetched" is observed, not assumed.

DNS is the one part a test cannot own. Tests that need a *public* host name use `fake_dns`: the
guard is told the name resolves to a public address, while the connection itself goes to a test
server on 127.0.0.1 (as if that public server redirected, or served CalDAV, from here)."""

import ipaddress
import re
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from bookings.calendars import outbound
from bookings.calendars.busy_import import fetch_ics
from bookings.calendars.caldav import booking_push_calendars, calendar_connection_sync
from bookings.calendars.connections import calendar_connection_create
from bookings.models import BusyTime, CalendarConnection, CalendarPush
from tests.bookings.calendars import helpers as h

pytestmark = pytest.mark.django_db
ADD = "/workspace/calendars/connections/add/"
PRIVATE = outbound.PRIVATE_MESSAGE
PUBLIC_IP = "93.184.216.34"  # what fake_dns tells the guard a public name resolves to


@dataclass
class Recorder:
    """What a test server received: requests per path (any method), and each Authorization."""

    port: int = 0
    host: str = "127.0.0.1"
    hits: dict[str, int] = field(default_factory=dict)
    auth: dict[str, str | None] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, bytes] = field(default_factory=dict)

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    @property
    def total(self) -> int:
        return sum(self.hits.values())

    def reset(self) -> None:
        for found in (self.hits, self.auth, self.redirects, self.bodies):
            found.clear()


def _serve(recorder: Recorder, family: socket.AddressFamily):
    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            recorder.hits[self.path] = recorder.hits.get(self.path, 0) + 1
            recorder.auth[self.path] = self.headers.get("Authorization")
            body = recorder.bodies.get(self.path, b"")
            if self.path in recorder.redirects:
                self.send_response(302 if self.command == "GET" else 301)
                self.send_header("Location", recorder.redirects[self.path])
            elif self.path in recorder.bodies:
                self.send_response(200)
                self.send_header("Content-Type", "text/calendar; charset=utf-8")
            else:
                self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PROPFIND = do_REPORT = do_PUT = do_DELETE = do_OPTIONS = answer  # noqa: N815

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        address_family = family

    httpd = Server((recorder.host, 0), Handler)
    recorder.port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture(scope="module")
def _servers():
    v4, v6 = Recorder(host="127.0.0.1"), Recorder(host="::1")
    servers = [_serve(v4, socket.AF_INET), _serve(v6, socket.AF_INET6)]
    yield v4, v6
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def loopback(_servers) -> Recorder:
    """A counting HTTP server on 127.0.0.1."""
    _servers[0].reset()
    return _servers[0]


@pytest.fixture
def loopback6(_servers) -> Recorder:
    """A counting HTTP server on ::1."""
    _servers[1].reset()
    return _servers[1]


@pytest.fixture
def guarded(settings):
    """Production's rule (the suite otherwise allows loopback for its test servers)."""
    settings.CALENDAR_ALLOW_PRIVATE_HOSTS = False


@pytest.fixture
def fake_dns(monkeypatch):
    """`pretend(name, port)`: the guard sees `name` as a public server, and a connection to it
    (on any port) reaches 127.0.0.1:`port`."""
    names: dict[str, int] = {}
    real_getaddrinfo, real_resolve = socket.getaddrinfo, outbound.resolve

    def getaddrinfo(host, port, *args, **kwargs):
        if host in names:
            return real_getaddrinfo("127.0.0.1", names[host], *args, **kwargs)
        return real_getaddrinfo(host, port, *args, **kwargs)

    def resolve(host, port):
        if host in names:
            return [ipaddress.ip_address(PUBLIC_IP)]
        return real_resolve(host, port)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(outbound, "resolve", resolve)
    return names.__setitem__


PRIVATE_URLS = {
    "loopback": "http://127.0.0.1:{v4}/cal.ics",
    "localhost": "http://localhost:{v4}/cal.ics",
    "ipv6-loopback": "http://[::1]:{v6}/cal.ics",
    "ipv4-mapped-ipv6-loopback": "http://[::ffff:127.0.0.1]:{v4}/cal.ics",
    "private-network": "http://10.0.0.1/cal.ics",
    "cloud-metadata": "http://169.254.169.254/latest/meta-data/",
}
private_urls = pytest.mark.parametrize(
    "template", list(PRIVATE_URLS.values()), ids=list(PRIVATE_URLS)
)


def served(loopback: Recorder, loopback6: Recorder, template: str) -> str:
    """The URL, its ports filled in, each loopback server holding a calendar at its path."""
    url = template.format(v4=loopback.port, v6=loopback6.port)
    for server in (loopback, loopback6):
        server.bodies[urlsplit(url).path] = h.busy_ics()
    return url


@private_urls
def test_calendar_form_refuses_private_addresses(
    client, guarded, loopback, loopback6, template, django_capture_on_commit_callbacks
):
    client.force_login(h.specialist().user)
    url = served(loopback, loopback6, template)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, {"kind": "ics", "url": url})
    assert response.status_code == 200
    assert PRIVATE in response.content.decode()
    assert not CalendarConnection.objects.exists()
    assert loopback.total == loopback6.total == 0


def test_calendar_form_refuses_a_private_webcal_address(client, guarded):
    client.force_login(h.specialist().user)
    response = client.post(ADD, {"kind": "ics", "url": "webcal://127.0.0.1/secret.ics"})
    assert PRIVATE in response.content.decode()
    assert not CalendarConnection.objects.exists()


@private_urls
@pytest.mark.parametrize("kind", ["ics", "caldav"])
def test_calendar_sync_refuses_private_addresses_before_connecting(
    guarded, loopback, loopback6, template, kind, django_capture_on_commit_callbacks
):
    """A connection saved earlier (before its name moved to a private address, or edited in the
    admin) is checked again by the job: the failure is recorded and nothing is requested."""
    url = served(loopback, loopback6, template)
    with django_capture_on_commit_callbacks(execute=True):
        connection = calendar_connection_create(
            specialist=h.specialist(), kind=kind, url=url, username="sydney", password="pw"
        )
    connection.refresh_from_db()
    assert connection.last_error == PRIVATE
    assert connection.failures == 1 and connection.last_success_at is None
    assert not BusyTime.objects.exists()
    assert loopback.total == loopback6.total == 0


def test_booking_push_to_a_private_caldav_server_is_refused(guarded, loopback):
    sydney = h.specialist()
    connection = CalendarConnection.objects.create(
        specialist=sydney, kind="caldav", url=loopback.url("/dav/work/")
    )
    booking = h.booking(specialist=sydney)
    assert booking_push_calendars(booking_id=booking.pk) == [connection.pk]
    connection.refresh_from_db()
    assert connection.last_error == PRIVATE
    assert not CalendarPush.objects.exists()
    assert loopback.total == 0


def test_fetch_ics_refuses_a_redirect_to_a_private_address(
    guarded, loopback, fake_dns, django_capture_on_commit_callbacks
):
    fake_dns("calendar.example", loopback.port)
    loopback.redirects["/feed.ics"] = loopback.url("/internal.ics")
    loopback.bodies["/internal.ics"] = h.busy_ics()
    with django_capture_on_commit_callbacks(execute=True):
        connection = calendar_connection_create(
            specialist=h.specialist(), kind="ics", url="http://calendar.example/feed.ics"
        )
    connection.refresh_from_db()
    assert connection.last_error == PRIVATE
    assert loopback.hits == {"/feed.ics": 1}  # the public server was asked; the private never
    assert not BusyTime.objects.exists()


def test_fetch_ics_follows_a_public_redirect_but_not_with_the_password(guarded, loopback, fake_dns):
    fake_dns("calendar.example", loopback.port)
    fake_dns("cdn.example", loopback.port)
    loopback.redirects["/feed.ics"] = "http://cdn.example/real.ics"
    loopback.bodies["/real.ics"] = body = h.busy_ics()
    data = fetch_ics(
        "http://calendar.example/feed.ics", username="sydney", password="pw", timeout=5
    )
    assert data == body
    assert loopback.auth["/feed.ics"].startswith("Basic ")
    assert loopback.auth["/real.ics"] is None  # another host never sees the credentials


def test_caldav_refuses_a_redirect_to_a_private_address(
    guarded, loopback, fake_dns, django_capture_on_commit_callbacks
):
    fake_dns("calendar.example", loopback.port)
    loopback.redirects["/dav/work/"] = loopback.url("/internal/")
    with django_capture_on_commit_callbacks(execute=True):
        connection = calendar_connection_create(
            specialist=h.specialist(),
            kind="caldav",
            url="http://calendar.example/dav/work/",
            username="sydney",
            password="pw",
        )
    connection.refresh_from_db()
    assert connection.last_error == PRIVATE
    assert loopback.hits == {"/dav/work/": 1}


@pytest.mark.caldav
def test_caldav_on_a_public_server_works_through_the_guard(
    guarded, radicale_calendar, fake_dns, django_capture_on_commit_callbacks
):
    """Every request the CalDAV client sends is checked, and a public server still works:
    discovery, busy import, push and delete, Radicale standing in for the public server."""
    server, calendar = radicale_calendar
    radicale = urlsplit(server.url)
    fake_dns("calendar.example", radicale.port)
    url = str(calendar.url).replace(radicale.netloc, "calendar.example")
    sydney = h.specialist()
    with django_capture_on_commit_callbacks(execute=True):
        connection = calendar_connection_create(
            specialist=sydney,
            kind="caldav",
            url=url,
            username=server.username,
            password=server.password,
        )
    with django_capture_on_commit_callbacks(execute=True):
        booking = h.booking(specialist=sydney)
    assert list(h.remote_events(calendar)) == [booking.uid]
    with django_capture_on_commit_callbacks(execute=True):
        h.cancel(booking)
    assert h.remote_events(calendar) == {}
    connection.refresh_from_db()
    assert connection.last_error == "" and connection.last_success_at is not None


def test_private_hosts_setting_lets_a_self_hosted_studio_read_its_own_network(settings, loopback):
    loopback.bodies["/cal.ics"] = h.busy_ics()
    connection = CalendarConnection.objects.create(
        specialist=h.specialist(), kind="ics", url=loopback.url("/cal.ics")
    )
    settings.CALENDAR_ALLOW_PRIVATE_HOSTS = False
    assert calendar_connection_sync(connection_id=connection.pk) is None
    assert loopback.total == 0

    settings.CALENDAR_ALLOW_PRIVATE_HOSTS = True
    assert calendar_connection_sync(connection_id=connection.pk).added == 1
    assert loopback.hits == {"/cal.ics": 1}


@pytest.mark.parametrize(
    "url",
    [
        "http://192.168.1.10/cal.ics",
        "http://172.16.0.1/cal.ics",
        "http://100.64.0.1/cal.ics",  # carrier-grade NAT / cloud-internal
        "http://0.0.0.0/cal.ics",
        "http://224.0.0.1/cal.ics",  # multicast
        "http://240.0.0.1/cal.ics",  # reserved
        "http://2130706433/cal.ics",  # 127.0.0.1 as one number
        "http://0x7f.1/cal.ics",  # 127.0.0.1 in hex shorthand
        "http://[fe80::1]/cal.ics",  # IPv6 link-local
        "http://[fd00::1]/cal.ics",  # IPv6 unique local
        "http://[2002:7f00:1::]/cal.ics",  # 6to4 around 127.0.0.1
        "http://[64:ff9b::a00:1]/cal.ics",  # NAT64 to 10.0.0.1
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/cal.ics",  # Teredo tunnel
    ],
)
def test_check_url_refuses_every_non_public_address(guarded, url):
    with pytest.raises(outbound.AddressRefused, match=re.escape(PRIVATE)):
        outbound.check_url(url)


def test_check_url_allows_only_public_web_addresses(guarded, fake_dns):
    fake_dns("calendar.example", 1)
    outbound.check_url("https://calendar.example/cal.ics")
    outbound.check_url("http://calendar.example:5232/sydney/work/")  # Radicale's port
    outbound.check_url(f"http://{PUBLIC_IP}/cal.ics")
    refused = {
        "file:///etc/passwd": "Only http(s)",
        "gopher://calendar.example/": "Only http(s)",
        "http://calendar.example:6379/": "usual web ports",
        "http://calendar.example:22/": "usual web ports",
        "http://calendar%2eexample/": "not a valid address",
        "http://no-such-host.invalid/cal.ics": "Could not find the server",
    }
    for url, message in refused.items():
        with pytest.raises(outbound.AddressRefused, match=re.escape(message)):
            outbound.check_url(url)
