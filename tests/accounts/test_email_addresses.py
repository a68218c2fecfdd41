"""One spelling per e-mail address (accounts/addresses.py), on every path that accepts one.
Before: each path lower-cased (or not) on its own, and `owner@example.com` with a zero-width
space was a different address from the owner's."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.addresses import ENCODED, NO_DOMAIN, normalize_email
from accounts.models import Enquiry, User
from bookings.models import Booking
from tests import factories
from tests.accounts.conftest import enquiry_payload
from tests.bookings.test_pages import post_details

TUE_9 = "2026-06-02T09:00:00-04:00"
PASSWORD = "pass-word-123"  # tests.factories.UserFactory's


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("owner@example.com\u200b", "owner@example.com"),  # zero-width space
        ("\ufeffowner@exa\u00admple.com", "owner@example.com"),  # BOM, soft hyphen
        ("own\u200der@example.com\u2060", "owner@example.com"),  # joiner, word joiner
        ("\u202eowner@example.com", "owner@example.com"),  # right-to-left override
        ("\uff4f\uff57\uff4e\uff45\uff52\uff20example.com", "owner@example.com"),  # full width
        ("  Owner@Example.COM\u00a0", "owner@example.com"),  # trimmed, lower-cased
        ("\u212aate@example.com", "kate@example.com"),  # Kelvin sign
    ],
)
def test_normalize_email_gives_one_spelling(typed, stored):
    assert normalize_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("=?utf-8?q?owner=40example.com?=@evil.example", ENCODED),
        ("owner@=?utf-8?b?ZXhhbXBsZS5jb20=?=", ENCODED),
        ("owner@localhost", NO_DOMAIN),
        ("owner@studio", NO_DOMAIN),
        ("owner@[127.0.0.1]", NO_DOMAIN),
        ("owner@.com.", NO_DOMAIN),
        ("\u200b", "Enter a valid email address."),
        ("no-at-sign.example.com", "Enter a valid email address."),
        ("\u043ewner@example.com", "Enter a valid email address."),  # Cyrillic o
        ("owner@exam ple.com", "Enter a valid email address."),
        ("a" * 250 + "@example.com", "Enter a valid email address."),
    ],
)
def test_normalize_email_refuses_with_a_message(typed, message):
    with pytest.raises(ValidationError) as caught:
        normalize_email(typed)
    assert caught.value.messages == [message]


FORMAT_CHARACTERS = st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"])


@given(
    local=st.from_regex(r"[a-z0-9]([a-z0-9._+-]{0,20}[a-z0-9])?", fullmatch=True),
    noise=st.lists(st.tuples(st.integers(min_value=0), FORMAT_CHARACTERS), max_size=5),
)
def test_normalize_email_ignores_format_characters_anywhere(local, noise):
    if ".." in local:
        return
    address = f"{local}@example.org"
    typed = address
    for at, char in noise:
        at %= len(typed) + 1
        typed = typed[:at] + char + typed[at:]
    assert normalize_email(typed) == address
    assert normalize_email(normalize_email(typed)) == address


# --- every path ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_email_create_user_stores_the_normalised_address():
    user = User.objects.create_user(email=" Zoe@Example.ORG\u200b", password="x")
    assert user.email == "zoe@example.org"
    with pytest.raises(ValidationError):
        User.objects.create_user(email="zoe@localhost")


@pytest.mark.django_db
def test_email_admin_add_user_normalises_and_refuses_on_the_field(client):
    boss = factories.owner(email="boss@example.org")
    client.force_login(boss)
    form = {
        "role": "client",
        "password1": "a-long-passphrase-1",
        "password2": "a-long-passphrase-1",
    }
    refused = client.post("/admin/accounts/user/add/", {**form, "email": "=?utf-8?q?x?=@x.org"})
    assert refused.status_code == 200
    assert ENCODED in refused.content.decode()
    added = client.post("/admin/accounts/user/add/", {**form, "email": "New@Example.org\u200b"})
    assert added.status_code == 302, added.content.decode()[:2000]
    assert User.objects.filter(email="new@example.org").exists()


@pytest.mark.django_db
def test_email_enquiry_api_stores_the_normalised_address(api):
    body = enquiry_payload(email="Ann@Example.org\u200b")
    response = api.post("/api/enquiries/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Enquiry.objects.get().email == "ann@example.org"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["=?utf-8?q?ann?=@example.org", "ann@localhost"])
def test_email_enquiry_api_refuses_encoded_words_and_bare_hosts(api, email):
    response = api.post("/api/enquiries/", enquiry_payload(email=email), format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email"}
    assert not Enquiry.objects.exists()


@pytest.mark.django_db
def test_email_enquiry_form_stores_the_normalised_address(client):
    data = {
        **enquiry_payload(concerns=[], email="Ann@Example.org\u200b"),
        "preferred_contact": "email",
        "consent": "on",
    }
    assert client.post("/enquire/", data).status_code == 302
    assert Enquiry.objects.get().email == "ann@example.org"


@pytest.mark.django_db
def test_email_booking_api_matches_a_returning_client_through_format_characters(
    guest_booking, desk, monday
):
    known = factories.ClientFactory(user__email="known@example.org")
    response = guest_booking(start=TUE_9, email="\u200bKnown@Example.org\u00ad")
    assert response.status_code == 201, response.json()
    assert Booking.objects.get().client == known
    assert User.objects.filter(role="client").count() == 1


@pytest.mark.django_db
def test_email_booking_api_refuses_an_encoded_word(guest_booking, desk, monday):
    response = guest_booking(start=TUE_9, email="=?utf-8?q?known?=@example.org")
    assert response.status_code == 400
    assert response.json() == {"email": [ENCODED]}


@pytest.mark.django_db
def test_email_booking_page_matches_a_returning_client(client, desk, monday):
    known = factories.ClientFactory(user__email="known@example.org")
    response = post_details(client, {"email": "KNOWN@example.org\u200b"})
    assert response.status_code == 302
    assert Booking.objects.get().client == known


@pytest.mark.django_db
def test_email_token_login_accepts_another_spelling_of_the_address(api):
    factories.ClientFactory(user__email="tess@example.org")
    body = {"email": "TESS@Example.org\u200b", "password": PASSWORD}
    assert api.post("/api/auth/token/", body, format="json").status_code == 200


@pytest.mark.django_db
def test_email_login_page_accepts_another_spelling_of_the_address(client):
    factories.ClientFactory(user__email="tess@example.org")
    body = {"username": "\uff54ess@example.org", "password": PASSWORD}  # a full-width t
    assert client.post("/accounts/login/", body).status_code == 302
    assert "_auth_user_id" in client.session


@pytest.mark.django_db
def test_email_login_page_refuses_an_encoded_word_on_the_field(client):
    body = {"username": "=?utf-8?q?tess?=@example.org", "password": PASSWORD}
    response = client.post("/accounts/login/", body)
    assert response.status_code == 200
    assert "without =?...?= encoding" in response.content.decode()
