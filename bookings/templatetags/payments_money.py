"""`{{ amount|money:currency }}`: minor units shown as money ("$65.00", "65.00 EUR")."""

from django import template

register = template.Library()

ZERO_DECIMAL = {
    "BIF",
    "CLP",
    "DJF",
    "GNF",
    "JPY",
    "KMF",
    "KRW",
    "MGA",
    "PYG",
    "RWF",
    "UGX",
    "VND",
    "VUV",
    "XAF",
    "XOF",
    "XPF",
}
SYMBOLS = {"USD": "$", "CAD": "CA$", "AUD": "A$", "EUR": "€", "GBP": "£"}


def minor_per_major(currency: str) -> int:
    return 1 if (currency or "").upper() in ZERO_DECIMAL else 100


def format_money(amount: int | None, currency: str = "USD") -> str:
    currency = (currency or "USD").upper()
    amount = amount or 0
    per = minor_per_major(currency)
    number = f"{amount // per:,}" if per == 1 else f"{amount / per:,.2f}"
    if amount < 0 and per != 1:
        number = f"-{abs(amount) / per:,.2f}"
    symbol = SYMBOLS.get(currency)
    if symbol:
        return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
    return f"{number} {currency}"


@register.filter
def money(amount, currency="USD"):
    return format_money(amount, currency)


@register.filter
def words(value):
    """`refund_requested` -> `refund requested`."""
    return str(value).replace("_", " ")


@register.filter
def sub(value, other):
    """`{{ a|sub:b }}`: a - b for integers."""
    return (value or 0) - (other or 0)
