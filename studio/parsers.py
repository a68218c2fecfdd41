"""JSON request bodies with bounded nesting: the API's parser and the webhooks' decoder.

Python's json module recurses once per nested array or object, so about 2 KB of `[[[[...]]]]`
raises RecursionError, which nothing expects (DRF's parser catches only ValueError): a 500. A
body that parses but nests deeply would recurse again in every serializer, renderer and
JSONField that walks it. No request Tonic understands nests more than a few levels, so anything
deeper than MAX_DEPTH is refused as malformed: a 400 from the API, a ValueError to webhooks.
"""

import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - the body nests arrays or objects more than {MAX_DEPTH} deep."


class TooDeep(ValueError):
    pass


def check_depth(value, limit: int = MAX_DEPTH) -> None:
    """Raise TooDeep when decoded JSON nests lists or dicts more than `limit` levels deep.
    Iterative, so measuring a deep value cannot itself run out of stack."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise TooDeep(TOO_DEEP)
        pending.extend((child, depth + 1) for child in children)


def loads(text: str | bytes):
    """json.loads for bodies from outside: too deep (RecursionError included) or malformed is
    a ValueError (json.JSONDecodeError or TooDeep)."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise TooDeep(TOO_DEEP) from exc
    check_depth(value)
    return value


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser (REST_FRAMEWORK's default), answering 400 to a body nested too deep."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        try:
            check_depth(data)
        except TooDeep as exc:
            raise ParseError(str(exc)) from exc
        return data
