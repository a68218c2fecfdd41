"""Template filters for bookings: prices and money in minor units, instants shown in a chosen zone.

Django's |date converts to the active zone first, so these format in the zone they are given.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import template

from .payments_money import format_money, money

register = template.Library()


# Amounts: the one formatter (payments_money), under the same name whichever library is loaded.
register.filter("money", money)


@register.filter
def price(amount: int | None, currency: str = "USD") -> str:
    """A price to pay: 9500, 'USD' -> '$95.00'; 0 -> 'Free'. Amounts paid or refunded use
    |money, which shows 0 as '$0.00'."""
    return format_money(amount, currency) if amount else "Free"


def _local(moment: datetime | str, zone: str) -> datetime:
    if isinstance(moment, str):  # ISO strings kept in BookingEvent.data
        moment = datetime.fromisoformat(moment)
    try:
        return moment.astimezone(ZoneInfo(zone))
    except (ValueError, KeyError):
        return moment


def clock(local: datetime) -> str:
    return f"{local.hour % 12 or 12}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


@register.filter
def local_when(moment: datetime | str | None, zone: str) -> str:
    """'Monday 8 June 2026, 2:00 PM BST' in zone."""
    if moment is None:
        return ""
    local = _local(moment, zone)
    return f"{local:%A} {local.day} {local:%B %Y}, {clock(local)} {local:%Z}"


@register.filter
def local_time(moment: datetime | None, zone: str) -> str:
    """'2:00 PM' in zone."""
    return clock(_local(moment, zone)) if moment else ""


@register.filter
def local_date(moment: datetime | None, zone: str) -> str:
    """'Mon 8 Jun' in zone."""
    if moment is None:
        return ""
    local = _local(moment, zone)
    return f"{local:%a} {local.day} {local:%b}"
