"""One money formatter: |money is the same filter in both template libraries; |price is for
prices, where 0 means free."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template(source).render(Context(context)).strip()


def test_money_shows_zero_as_an_amount_whichever_library_is_loaded():
    for library in ("booking_tags", "payments_money"):
        assert render(f"{{% load {library} %}}{{{{ a|money:'USD' }}}}", a=0) == "$0.00"
        assert render(f"{{% load {library} %}}{{{{ a|money:'EUR' }}}}", a=6550) == "€65.50"


def test_price_shows_zero_as_free_and_other_prices_as_money():
    assert render("{% load booking_tags %}{{ a|price:'USD' }}", a=0) == "Free"
    assert render("{% load booking_tags %}{{ a|price:'USD' }}", a=9500) == "$95.00"
