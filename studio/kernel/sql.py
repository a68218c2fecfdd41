"""Raw SQL on the default database, for the few hot paths where building a queryset costs more
CPU than running it (availability, booking a slot). Everything else uses the ORM.

Rules for callers: name tables from the models (`table`), pass every value as a parameter, and
say in the docstring which queryset the SQL stands for."""

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def rows(sql: str, params: Sequence) -> list[tuple]:
    """Rows of one raw query on the default database, as the driver returns them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fast_timestamps(cursor.cursor)
        cursor.execute(sql, params)
        return cursor.fetchall()


def fast_timestamps(cursor) -> None:
    """Read timestamptz with psycopg's own loader (C) on this cursor. Django's (psycopg_any's
    BaseTzLoader) is a Python subclass that parses each value in Python, two thirds of the time
    a month of bookings took to load; both give aware UTC datetimes (Django keeps the
    connection's zone at UTC with USE_TZ)."""
    from psycopg.types.datetime import TimestamptzLoader  # noqa: PLC0415 -- PostgreSQL only

    cursor.adapters.register_loader("timestamptz", TimestamptzLoader)


def table(model: type[Model]) -> str:
    """The model's table name, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values: Sequence) -> str:
    """ "(%s,%s,...)" for an IN list of these values."""
    return "(" + ",".join(["%s"] * len(values)) + ")"


def lock_clause(*, of: str, no_key: bool = True) -> str:
    """The row lock to end a SELECT with on PostgreSQL, on table alias `of` ("" on SQLite,
    whose IMMEDIATE transactions already queue every writer)."""
    if not connection.features.has_select_for_update:
        return ""
    return f" FOR {'NO KEY ' if no_key else ''}UPDATE OF {of}"
