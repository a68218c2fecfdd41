"""BOOKING_RATE: public booking writes are rate limited per address (guests) or per account
(clients); staff are not. That the counts hold across processes is tested for enquiries
(tests/accounts/test_rate_limits.py): both use accounts.ratelimit."""

from urllib.parse import urlencode

import pytest

from accounts.models import User
from bookings.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db

# Free half-hour consultations on Tuesday 2 June 2026 (New York), all free at `monday`.
STARTS = [
    f"2026-06-02T{hour:02d}:{minute:02d}:00-04:00" for hour in (9, 10, 11) for minute in (0, 30)
]


@pytest.fixture
def limited(settings):
    settings.RATE_LIMITS = True
    settings.BOOKING_RATE = "3/h"


def book(api, start, *, addr="10.0.0.1", email="gail@example.org", **extra):
    body = {"service": "consultation", "start": start, "name": "Gail Guest", "email": email}
    return api.post("/api/bookings/", {**body, **extra}, format="json", REMOTE_ADDR=addr)


def test_booking_rate_limit_answers_429_with_retry_after_and_books_nothing(
    api, desk, monday, limited
):
    statuses = [book(api, start, email=f"g{i}@example.org").status_code for i, start in
                enumerate(STARTS[:3])]  # fmt: skip
    assert statuses == [201, 201, 201]
    refused = book(api, STARTS[3], email="fourth@example.org")
    assert refused.status_code == 429
    assert refused.json()["detail"]
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert Booking.objects.count() == 3
    assert not User.objects.filter(email="fourth@example.org").exists()


def test_booking_rate_limit_is_per_address(api, desk, monday, limited):
    for start in STARTS[:3]:
        assert book(api, start, addr="10.0.0.1").status_code == 201
    assert book(api, STARTS[3], addr="10.0.0.1").status_code == 429
    assert book(api, STARTS[3], addr="10.0.0.2").status_code == 201


def test_booking_rate_limit_counts_an_ipv6_network_not_each_address(api, desk, monday, limited):
    """One subscriber holds a whole /64: a fresh address per try must not buy a fresh count."""
    for i, start in enumerate(STARTS[:3]):
        assert book(api, start, addr=f"2001:db8:0:1::{i + 1}").status_code == 201
    assert book(api, STARTS[3], addr="2001:db8:0:1::99").status_code == 429
    assert book(api, STARTS[3], addr="2001:db8:0:2::1").status_code == 201  # another network


def test_booking_rate_limit_counts_refused_attempts_too(api, desk, monday, limited):
    """Every POST counts, so probing slot after slot (409) or bad bodies (400) is not free."""
    assert book(api, STARTS[0]).status_code == 201
    assert book(api, STARTS[0], email="other@example.org").status_code == 409
    assert book(api, "not a time").status_code == 400
    assert book(api, STARTS[1]).status_code == 429
    assert Booking.objects.count() == 1


def test_booking_rate_limit_spares_staff(api_as, desk, monday, limited):
    client = factories.on_care_team(factories.ClientFactory(), desk.specialist)
    staff = api_as(desk.specialist.user)
    statuses = [
        staff.post(
            "/api/bookings/",
            {"service": "consultation", "start": start, "client": client.pk},
            format="json",
            REMOTE_ADDR="10.0.0.1",
        ).status_code
        for start in STARTS
    ]
    assert statuses == [201] * 6


def test_booking_rate_limit_counts_a_client_per_account(api_as, desk, monday, limited):
    first, second = factories.ClientFactory(), factories.ClientFactory()
    first_api, second_api = api_as(first.user), api_as(second.user)

    def post(api, start, addr):
        body = {"service": "consultation", "start": start}
        return api.post("/api/bookings/", body, format="json", REMOTE_ADDR=addr).status_code

    assert [post(first_api, s, f"10.0.0.{i}") for i, s in enumerate(STARTS[:4])] == [
        201,
        201,
        201,
        429,  # a new address does not reset an account's count
    ]
    assert post(second_api, STARTS[4], "10.0.0.1") == 201  # nor does one account spend another's


def test_booking_rate_limit_reads_the_address_behind_the_proxy(
    api, desk, monday, limited, settings
):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(start, client_addr, email):
        return api.post(
            "/api/bookings/",
            {"service": "consultation", "start": start, "name": "G", "email": email},
            format="json",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=client_addr,
        ).status_code

    for i, start in enumerate(STARTS[:3]):
        assert via_proxy(start, "203.0.113.7", f"a{i}@example.org") == 201
    assert via_proxy(STARTS[3], "203.0.113.7", "a3@example.org") == 429
    assert via_proxy(STARTS[3], "198.51.100.2", "b@example.org") == 201
    # A forged entry left of the proxy's own does not buy a fresh count.
    assert via_proxy(STARTS[4], "192.0.2.1, 203.0.113.7", "c@example.org") == 429


def test_booking_rate_limits_off_disables_it(api, desk, monday, limited, settings):
    settings.RATE_LIMITS = False
    statuses = [book(api, start, email=f"g{i}@example.org").status_code for i, start in
                enumerate(STARTS)]  # fmt: skip
    assert statuses == [201] * 6


def test_booking_rate_limit_counts_on_the_book_form_too(api, client, desk, monday, limited):
    """The /book/ form shares the API's counter: it is no way around the limit."""
    assert book(api, STARTS[0], addr="127.0.0.1").status_code == 201
    assert book(api, STARTS[1], addr="127.0.0.1", email="b@example.org").status_code == 201

    def form(start, email):
        return client.post(
            f"/book/consultation/details/?{urlencode({'specialist': 'any', 'start': start})}",
            {"name": "Gail Guest", "email": email, "phone": "", "notes": ""},
        )

    assert form(STARTS[2], "c@example.org").status_code == 302
    refused = form(STARTS[3], "d@example.org")
    assert refused.status_code == 429
    assert "several times in a short time" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Booking.objects.count() == 3


# --- changing a booking with its manage token ---------------------------------------------------


def test_manage_rate_limit_counts_token_changes_apart_from_booking(api, desk, monday, limited):
    made = book(api, STARTS[0]).json()
    url = f"/api/bookings/{made['id']}"
    token = made["manage_token"]
    moves = [
        api.post(f"{url}/reschedule/", {"start": s, "token": token}, format="json",
                 REMOTE_ADDR="10.0.0.1").status_code
        for s in STARTS[1:4]
    ]  # fmt: skip
    assert moves == [200, 200, 200]
    cancel = api.post(f"{url}/cancel/", {"token": token}, format="json", REMOTE_ADDR="10.0.0.1")
    assert cancel.status_code == 429
    assert int(cancel["Retry-After"]) > 0
    assert Booking.objects.get(pk=made["id"]).status == Booking.Status.CONFIRMED
    # Booking has its own count: one of three spent.
    assert book(api, STARTS[4], email="b@example.org").status_code == 201


def test_manage_rate_limit_bounds_token_guessing(api, desk, monday, limited):
    made = book(api, STARTS[0]).json()
    url = f"/api/bookings/{made['id']}/cancel/"
    guesses = [
        api.post(url, {"token": f"guess-{i}"}, format="json", REMOTE_ADDR="10.0.0.9").status_code
        for i in range(3)
    ]
    assert guesses == [404, 404, 404]
    # Past the limit even the right token is refused unseen: the lookup is not made.
    right = api.post(url, {"token": made["manage_token"]}, format="json", REMOTE_ADDR="10.0.0.9")
    assert right.status_code == 429
    assert Booking.objects.get(pk=made["id"]).status == Booking.Status.CONFIRMED


def test_manage_rate_limit_covers_the_manage_page_forms(api, client, desk, monday, limited):
    token = book(api, STARTS[0]).json()["manage_token"]
    for start in STARTS[1:4]:
        moved = client.post(f"/bookings/manage/{token}/reschedule/", {"start": start})
        assert moved.status_code == 302
    refused = client.post(f"/bookings/manage/{token}/cancel/")
    assert refused.status_code == 429
    assert "Too many changes" in refused.content.decode()
    assert int(refused["Retry-After"]) > 0
    assert Booking.objects.get().status == Booking.Status.CONFIRMED
