"""The public availability answer (API.md: {"timezone", "slots": [{start, end, specialist,
specialist_name}]}) encoded straight to JSON bytes.

A month holds hundreds of slots, each with two times to write as ISO 8601 in the asker's zone.
Python's own formatting (isoformat, then a JSON encoder or a string template) was a quarter of
the CPU of an answer computed afresh; orjson formats the zoned datetimes and encodes the lot in
C. The bytes are exactly those of DRF's JSONRenderer (compact, UTF-8, U+2028/U+2029 escaped),
as tests/bookings/test_availability_cache_body.py checks.
"""

from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

import orjson

from .availability import Slot


def slots_json(
    *, tz_name: str, zone: ZoneInfo, slots: Sequence[Slot], names: Mapping[int, str]
) -> bytes:
    """The answer's JSON: slot times in `zone` (ISO 8601 with offset), labelled tz_name."""
    body = orjson.dumps(
        {
            "timezone": tz_name,
            "slots": [
                {
                    "start": start.astimezone(zone),
                    "end": end.astimezone(zone),
                    "specialist": pk,
                    "specialist_name": names[pk],
                }
                for start, end, pk in slots
            ],
        }
    )
    # DRF escapes the two line separators, so the answer stays valid JavaScript; orjson
    # writes them raw (as UTF-8).
    return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
