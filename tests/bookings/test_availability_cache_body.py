"""The availability answer's bytes are what DRF's JSONRenderer writes for the same payload
(bookings/availability_json.py encodes it with orjson, for speed): names with quotes,
backslashes, accents and line separators, times in a zone with a half-hour offset, no slots."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from rest_framework.renderers import JSONRenderer

from bookings.availability import Slot
from bookings.availability_json import slots_json


def drf(tz_name, zone, slots, names) -> bytes:
    payload = {
        "timezone": tz_name,
        "slots": [
            {
                "start": slot.start.astimezone(zone).isoformat(),
                "end": slot.end.astimezone(zone).isoformat(),
                "specialist": slot.specialist_id,
                "specialist_name": names[slot.specialist_id],
            }
            for slot in slots
        ],
    }
    return JSONRenderer().render(payload)


def test_the_body_is_byte_for_byte_drfs():
    zone = ZoneInfo("Asia/Kolkata")
    start = datetime(2026, 6, 2, 3, 30, tzinfo=UTC)
    half = timedelta(minutes=30)
    slots = [Slot(start + i * half, start + (i + 1) * half, 1 + i % 2) for i in range(5)]
    names = {1: 'Zoë "Z" O\'Neil \\ 北', 2: "Line\u2028Sep\u2029Para\ttab"}
    body = slots_json(tz_name="Asia/Kolkata", zone=zone, slots=slots, names=names)
    assert body == drf("Asia/Kolkata", zone, slots, names)
    assert json.loads(body)["slots"][0]["start"] == "2026-06-02T09:00:00+05:30"


def test_no_slots_is_an_empty_list():
    zone = ZoneInfo("Europe/London")
    assert slots_json(tz_name="Europe/London", zone=zone, slots=[], names={}) == drf(
        "Europe/London", zone, [], {}
    )


def test_the_body_is_drfs_across_a_dst_change_with_control_characters_and_microseconds():
    zone = ZoneInfo("Europe/London")  # 2026-10-25 02:00 BST -> 01:00 GMT: 01:xx happens twice
    start = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    step = timedelta(minutes=20, microseconds=250)
    slots = [Slot(start + i * step, start + (i + 1) * step, 7) for i in range(12)]
    names = {7: "Bell\x07 \x1f del\x7f / emoji \U0001f600"}
    body = slots_json(tz_name="Europe/London", zone=zone, slots=slots, names=names)
    assert body == drf("Europe/London", zone, slots, names)
    offsets = {slot["start"][-6:] for slot in json.loads(body)["slots"]}
    assert offsets == {"+01:00", "+00:00"}
