"""The `id` path converter: `<id:pk>` in every URLconf that carries a row id.

Like Django's `int`, but only 1 to ID_MAX match: a larger number cannot be a row (and SQLite
cannot even compare it, an OverflowError in the view), so the address is simply not found, on
every path at once rather than view by view. Registered by studio.apps before any URLconf
loads; the API schema documents it as an integer (SPECTACULAR_SETTINGS'
PATH_CONVERTER_OVERRIDES)."""

from django.urls import register_converter

from .fields import ID_MAX


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError("not a row id")  # the resolver reads this as "no match": 404
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
