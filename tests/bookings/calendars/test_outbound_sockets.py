"""An error answer from a calendar server is closed where it is read, not left to the garbage
collector.

urllib hands an error answer over as an HTTPError that holds the open socket (and a refused
redirect's answer sits in urllib's frame). Chained into our own error, it stays open as long as
that error lives; once the error is in a reference cycle (pytest.raises, a captured log record,
a Celery failure record all keep a traceback), the socket is only found by a later garbage
collection, in whatever test is running then, as "ResourceWarning: unclosed <socket.socket>"
(seen as a flaky PytestUnraisableExceptionWarning in tests/bookings/payments/test_payments.py).
"""

import gc
import warnings

import pytest

from bookings.calendars.busy_import import FetchError, fetch_ics
from bookings.calendars.outbound import AddressRefused
from tests.bookings.calendars.test_outbound import (  # noqa: F401 (fixtures)
    _servers,
    fake_dns,
    guarded,
    loopback,
)


def unclosed_sockets_after(call, error: type[Exception]) -> list[str]:
    """Run `call`, which raises `error`; keep that error in a reference cycle as pytest.raises
    does, then collect it: the ResourceWarnings that collection gives."""

    def fail_and_keep_the_error() -> None:
        with pytest.raises(error) as caught:
            call()
        caught.value.kept = caught  # error -> info -> error: only the collector frees it

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fail_and_keep_the_error()
        gc.collect()
    return [str(w.message) for w in seen if issubclass(w.category, ResourceWarning)]


def test_an_ics_server_error_answer_is_closed(ics_server):
    url = ics_server.base_url + "/gone.ics"
    assert unclosed_sockets_after(lambda: fetch_ics(url, timeout=5), FetchError) == []


def test_a_refused_redirects_answer_is_closed(guarded, loopback, fake_dns):  # noqa: F811
    fake_dns("calendar.example", loopback.port)
    loopback.redirects["/feed.ics"] = loopback.url("/internal.ics")
    fetch = lambda: fetch_ics("http://calendar.example/feed.ics", timeout=5)  # noqa: E731
    assert unclosed_sockets_after(fetch, AddressRefused) == []
