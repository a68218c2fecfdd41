"""API input fields bounded to what the database and the calendar can hold.

Python's dates end at years 1 and 9999 and SQLite's integers at 2**63 - 1: a value at those
edges (`0001-01-01T00:00:00+14:00`, `?booking=99999999999999999999`) is valid to a plain DRF
field but overflows the moment it is shifted a day, converted to UTC or put in a query. Every
date, date-time and id the API reads goes through one of these, so it is a 400 naming the
field instead of a 500.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

ID_MAX = 2**63 - 1  # the largest id a row can have (SQLite and PostgreSQL bigint alike)

# Far enough either way for birth dates and any studio's plans, and far enough from Python's
# own limits (years 1 and 9999) that a day's or a time zone's arithmetic never overflows.
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2200, 12, 31)
RANGE_TEXT = f"between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}"


def date_in_range(day: date | datetime) -> bool:
    """Whether a date (or a date-time's own calendar date, in the offset it was given with) is
    within DATE_MIN..DATE_MAX; pages that parse dates themselves ask this."""
    calendar_day = day.date() if isinstance(day, datetime) else day
    return DATE_MIN <= calendar_day <= DATE_MAX


def _out_of_range(day: date | datetime) -> str:
    what = "date-time" if isinstance(day, datetime) else "date"
    return f"Give a {what} {RANGE_TEXT}."


def check_date_in_range(day: date | datetime) -> None:
    """Raise a field ValidationError for a date or date-time outside DATE_MIN..DATE_MAX."""
    if not date_in_range(day):
        raise serializers.ValidationError(_out_of_range(day))


def validate_supported_date(day: date | datetime | None) -> None:
    """The same bound as a Django validator, for form fields: the pages' forms, and the intake
    answers the API hands to the intake form."""
    if day is not None and not date_in_range(day):
        raise DjangoValidationError(_out_of_range(day), code="out_of_range")


class DateField(serializers.DateField):
    """DRF's DateField, refusing dates outside DATE_MIN..DATE_MAX."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        check_date_in_range(day)
        return day


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, refusing date-times outside DATE_MIN..DATE_MAX before any time zone
    conversion (which is where `9999-12-31T23:59:59-14:00` would overflow)."""

    def enforce_timezone(self, value):
        check_date_in_range(value)
        return super().enforce_timezone(value)


class IdField(serializers.IntegerField):
    """A row id: a whole number from 1 to ID_MAX (larger ones cannot exist, and SQLite cannot
    even compare them)."""

    default_error_messages = {
        key: f"Give an id: a whole number from 1 to {ID_MAX}."
        for key in ("invalid", "min_value", "max_value")
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


def query_id(request, name: str) -> int | None:
    """The id in query parameter `name`, or None when it is absent or empty; anything but a
    whole number from 1 to ID_MAX is a 400 naming the parameter."""
    value = request.query_params.get(name, "")
    if not value:
        return None
    field = IdField()
    try:
        return field.run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({name: exc.detail}) from exc
