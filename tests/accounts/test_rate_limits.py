"""The enquiry rate limit lives in Django's cache (the database) and so holds across processes."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from accounts import ratelimit
from accounts.models import Enquiry
from tests.accounts.conftest import enquiry_payload
from tests.fixtures.workers import run_django


@pytest.fixture
def limited(settings, db):
    settings.RATE_LIMITS = True
    settings.ENQUIRY_RATE = "3/h"
    cache.clear()
    yield
    cache.clear()


def test_enquiry_rate_limit_answers_429_with_retry_after(api, limited):
    statuses = [
        api.post("/api/enquiries/", enquiry_payload(), format="json").status_code for _ in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    response = api.post("/api/enquiries/", enquiry_payload(), format="json")
    assert response.status_code == 429
    assert "detail" in response.json()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Enquiry.objects.count() == 3


def test_enquiry_rate_limit_is_per_ip(api, limited):
    for _ in range(3):
        api.post("/api/enquiries/", enquiry_payload(), format="json", REMOTE_ADDR="10.0.0.1")
    other = api.post("/api/enquiries/", enquiry_payload(), format="json", REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 201


def test_enquiry_rate_limit_counts_on_the_html_form_too(client, limited):
    data = {**enquiry_payload(concerns=[]), "preferred_contact": "email", "consent": "on"}
    statuses = [client.post("/enquire/", data).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_enquiry_rate_limits_off_disables_them(api, limited, settings):
    settings.RATE_LIMITS = False
    statuses = {
        api.post("/api/enquiries/", enquiry_payload(), format="json").status_code for _ in range(5)
    }
    assert statuses == {201}


def test_rate_limit_parse_rate_reads_the_usual_forms():
    assert ratelimit.parse_rate("10/h") == (10, 3600)
    assert ratelimit.parse_rate("5/min") == (5, 60)
    assert ratelimit.parse_rate("100/day") == (100, 86400)
    assert ratelimit.parse_rate("3/10m") == (3, 600)
    with pytest.raises(ImproperlyConfigured):
        ratelimit.parse_rate("ten per hour")


def test_rate_limit_windows_reset(db):
    cache.clear()
    hits = [ratelimit.hit(scope="t", key="k", rate="2/m", now=120.0)[0] for _ in range(3)]
    assert hits == [True, True, False]
    assert ratelimit.hit(scope="t", key="k", rate="2/m", now=180.0)[0] is True


@pytest.mark.django_db(transaction=True)
def test_enquiry_rate_limit_holds_across_processes(api, settings):
    """Another process (a second web worker) spends two of the three allowed hits; this
    process then gets one more and is refused after it."""
    settings.RATE_LIMITS = True
    settings.ENQUIRY_RATE = "3/h"
    cache.clear()
    out = run_django(
        "from accounts.ratelimit import hit\n"
        "print([hit(scope='enquiry', key='127.0.0.1', rate='3/h')[0] for _ in range(2)])\n"
    )
    assert out.strip().splitlines()[-1] == "[True, True]"

    first = api.post("/api/enquiries/", enquiry_payload(), format="json", REMOTE_ADDR="127.0.0.1")
    second = api.post("/api/enquiries/", enquiry_payload(), format="json", REMOTE_ADDR="127.0.0.1")
    assert (first.status_code, second.status_code) == (201, 429)
    cache.clear()
