"""JSON request bodies, checked once for what nothing behind them can take: the API's parser and
the webhooks' decoder.

Python's json module recurses once per nested array or object, so about 2 KB of `[[[[...]]]]`
raises RecursionError, which nothing expects (DRF's parser catches only ValueError): a 500. A
body that parses but nests deeply would recurse again in every serializer, renderer and
JSONField that walks it. No request Tonic understands nests more than a few levels, so anything
deeper than MAX_DEPTH is refused as malformed.

A NUL character or an unpaired surrogate (`"\\u0000"`, `"\\ud800"`) decodes to a Python string
that PostgreSQL cannot store or even compare: DRF's CharField refuses both, but slugs looked up
by SlugRelatedField, dictionary keys and JSON fields do not, so a query with one was a 500.
Refused here, wherever they sit in the body. Either way: a 400 from the API, a ValueError to
webhooks.
"""

import json
import re

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - the body nests arrays or objects more than {MAX_DEPTH} deep."
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
BAD_TEXT = "JSON parse error - the body contains a NUL character or an unpaired surrogate."


class Refused(ValueError):
    """Decoded JSON that is well-formed but not acceptable as input."""


def check(value, limit: int = MAX_DEPTH) -> None:
    """Raise Refused when decoded JSON nests lists or dicts more than `limit` levels deep or
    holds a string (value or key) with a NUL or an unpaired surrogate. Iterative, so walking
    a deep value cannot itself run out of stack."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if UNSTORABLE.search(item):
                raise Refused(BAD_TEXT)
            continue
        if isinstance(item, dict):
            children = [*item.keys(), *item.values()]
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise Refused(TOO_DEEP)
        pending.extend((child, depth + 1) for child in children)


def loads(text: str | bytes):
    """json.loads for bodies from outside: malformed, too deep (RecursionError included) or
    unstorable is a ValueError (json.JSONDecodeError or Refused)."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise Refused(TOO_DEEP) from exc
    check(value)
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser (REST_FRAMEWORK's default), answering 400 to a body nested too deep or
    holding text no database column can take."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        try:
            check(data)
        except Refused as exc:
            raise ParseError(str(exc)) from exc
        return data
