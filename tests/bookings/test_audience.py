"""Step 1 says who a service is for, before anyone picks a time (bookings/audience.py)."""

import re

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_up(desk):
    service = factories.ServiceFactory(slug="follow-up", name="Follow-up", audience="existing")
    service.specialists.add(desk.specialist)
    return service


def card(client, name: str) -> str:
    """The HTML of one service's card on /book/."""
    page = client.get("/book/").content.decode()
    cards = page.split('<article class="service-card">')[1:]
    return next(c.split("</article>")[0] for c in cards if f"<h2>{name}</h2>" in c)


def links(card_html: str) -> dict[str, str]:
    """The card's footer links, text -> href."""
    footer = card_html.split("<footer>")[1]
    return {
        text.strip(): href
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', footer)
    }


def test_service_card_offers_a_guest_log_in_or_a_consultation_first(client, follow_up):
    follow = card(client, "Follow-up")
    assert "for clients who have been here before" in follow
    assert links(follow) == {
        "Log in": "/accounts/login/?next=/book/follow-up/",
        "Book a consultation first": "/book/consultation/",
    }
    assert links(card(client, "Consultation")) == {"Choose": "/book/consultation/"}


def test_service_card_tells_a_new_client_to_book_a_consultation_first(client, follow_up):
    new = factories.ClientFactory()
    client.force_login(new.user)
    assert links(card(client, "Follow-up")) == {"Book a consultation first": "/book/consultation/"}


def test_service_card_lets_an_existing_client_choose(client, follow_up):
    known = factories.BookingFactory(service=follow_up).client
    client.force_login(known.user)
    assert links(card(client, "Follow-up")) == {"Choose": "/book/follow-up/"}
