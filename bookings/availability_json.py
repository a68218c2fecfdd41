"""The public availability answer (API.md: {"timezone", "slots": [{start, end, specialist,
specialist_name}]}) encoded straight to JSON bytes.

A month holds hundreds of slots. Building a dict per slot and handing the lot to a JSON encoder
was a sixth of the time of an answer computed afresh; here each slot is one string template,
with every distinct instant converted once (a slot's end is usually the next one's start) and
each specialist's name encoded once. The bytes are exactly those of DRF's JSONRenderer (compact,
UTF-8, U+2028/U+2029 escaped), as tests/bookings/test_availability_cache_body.py checks.
"""

import json
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from .availability import Slot


def _string(text: str) -> str:
    """A JSON string as DRF's JSONRenderer writes it (ensure_ascii off, line separators
    escaped so the answer stays valid JavaScript)."""
    encoded = json.dumps(text, ensure_ascii=False)
    return encoded.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def slots_json(
    *, tz_name: str, zone: ZoneInfo, slots: Sequence[Slot], names: Mapping[int, str]
) -> bytes:
    """The answer's JSON: slot times in `zone` (ISO 8601 with offset), labelled tz_name."""
    instants = {instant for slot in slots for instant in (slot.start, slot.end)}
    local = {instant: instant.astimezone(zone).isoformat() for instant in instants}
    named = {pk: _string(name) for pk, name in names.items()}
    items = ",".join(
        f'{{"start":"{local[start]}","end":"{local[end]}","specialist":{pk},'
        f'"specialist_name":{named[pk]}}}'
        for start, end, pk in slots
    )
    return f'{{"timezone":{_string(tz_name)},"slots":[{items}]}}'.encode()
