"""Password reset: the page answers alike, after the same work, whether or not the address has an
account; the worker looks it up and mails the link; requests are limited per client address
(429) and reset e-mails per e-mail address (silently). Before: Django's view looked the address
up and sent the mail inside the request, with no limit at all."""

import re
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = "/accounts/password-reset/"
DONE = "/accounts/password-reset/sent/"


@pytest.fixture
def tess():
    return factories.ClientFactory(user__email="tess@example.org").user


@pytest.fixture
def limited(settings):
    settings.RATE_LIMITS = True
    settings.PASSWORD_RESET_RATE = "3/h"
    settings.PASSWORD_RESET_ADDRESS_RATE = "2/h"
    return settings


def ask(client, email, **extra):
    """Ask for a reset; the outbox delivers the mail after the request's commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(PAGE, {"email": email}, **extra)


def link_in(message) -> str:
    return re.search(r"http\S+/accounts/reset/\S+/", message.body).group(0)


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client, tess):
    known, unknown = ask(client, "tess@example.org"), ask(client, "nobody@example.org")
    assert (known.status_code, known["Location"]) == (302, DONE)
    assert (unknown.status_code, unknown["Location"]) == (302, DONE)
    assert [m.to for m in mail.outbox] == [["tess@example.org"]]


def test_password_reset_link_sets_a_new_password_and_logs_in(client, tess):
    ask(client, "tess@example.org")
    (message,) = mail.outbox
    assert "Set a new password" in message.subject
    form = client.get(link_in(message), follow=True)
    new = "a-brand-new-passphrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert client.login(username="tess@example.org", password=new)


def test_password_reset_lets_a_guest_without_a_password_set_one(client):
    """A guest who booked has no password yet; a reset is how they get one."""
    guest = User.objects.create_user(email="guest@example.org")
    assert not guest.has_usable_password()
    ask(client, "guest@example.org")
    assert [m.to for m in mail.outbox] == [["guest@example.org"]]


def test_password_reset_sends_nothing_to_a_deactivated_account(client, tess):
    tess.is_active = False
    tess.save()
    assert ask(client, "tess@example.org")["Location"] == DONE
    assert mail.outbox == []


def test_password_reset_normalises_the_address(client, tess):
    response = ask(client, " TESS@Example.ORG\u200b")
    assert response["Location"] == DONE
    assert [m.to for m in mail.outbox] == [["tess@example.org"]]


def test_password_reset_refuses_an_encoded_word_on_the_field(client, tess):
    response = ask(client, "=?utf-8?q?tess?=@example.org")
    assert response.status_code == 200
    assert "without =?...?= encoding" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_is_limited_per_client_address(client, tess, limited):
    statuses = [ask(client, f"n{i}@example.org", REMOTE_ADDR="203.0.113.9") for i in range(4)]
    assert [r.status_code for r in statuses] == [302, 302, 302, 429]
    assert int(statuses[-1]["Retry-After"]) > 0
    assert "several times" in statuses[-1].content.decode()
    other = ask(client, "tess@example.org", REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302


def test_password_reset_mails_an_address_at_most_the_limit_and_answers_alike(client, tess, limited):
    answers = [ask(client, "tess@example.org", REMOTE_ADDR=f"192.0.2.{i}") for i in range(4)]
    assert {(a.status_code, a["Location"]) for a in answers} == {(302, DONE)}
    assert len(mail.outbox) == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_password_reset_page_never_looks_the_address_up_the_worker_does(
    client, booking_worker, settings
):
    """The request does the same queries for a known and an unknown address, none of them on
    the users table; the e-mail comes from the worker."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RATE_LIMITS = True  # the limits' cache queries are part of the work compared
    factories.ClientFactory(user__email="tess@example.org")
    seen = []
    for ip, email in [("192.0.2.1", "tess@example.org"), ("192.0.2.2", "nobody@example.org")]:
        with CaptureQueriesContext(connection) as queries:
            response = ask(client, email, REMOTE_ADDR=ip)
        assert response["Location"] == DONE
        seen.append([re.sub(r"'[^']*'|\d+", "?", q["sql"]) for q in queries.captured_queries])
    assert seen[0] == seen[1] and seen[0]
    assert not any("accounts_user" in sql for sql in seen[0])
    assert _wait_for(lambda: len(mail.outbox) >= 1)
    assert [m.to for m in mail.outbox] == [["tess@example.org"]]


def _wait_for(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
