"""The one list of time zones people choose from, and the one rule for reading a zone name.

`zoneinfo.available_timezones()` is every file in the tz database: about 600 names, a third of
them retired aliases kept for old data (Asia/Calcutta, Europe/Kiev, US/Eastern). People choose
from the current geographic zones instead (the tz database's own zone1970.tab, plus UTC), and a
name typed, stored or detected by a browser (Chromium still says Asia/Calcutta) is read through
the database's links to its current name. Both tables come from the `tzdata` package, so the
list moves with the zone data it describes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from zoneinfo import available_timezones

from django import forms

UTC = "UTC"


def _tz_file(name: str) -> str:
    return resources.files("tzdata.zoneinfo").joinpath(name).read_text(encoding="utf-8")


@cache
def _zones_and_links() -> tuple[frozenset[str], dict[str, str]]:
    """Zone names ("Z" lines) and alias -> target links ("L" lines) of tzdata.zi."""
    zones, links = set(), {}
    for line in _tz_file("tzdata.zi").splitlines():
        kind, *fields = line.split()
        if kind == "Z":
            zones.add(fields[0])
        elif kind == "L":
            target, alias = fields[0], fields[1]
            links[alias] = target
    return frozenset(zones), links


@cache
def _loadable() -> frozenset[str]:
    """Every zone this machine can load, read once: `available_timezones()` walks the tz
    folders on each call (about 5 ms), and canonical_zone() runs on every availability request."""
    return frozenset(available_timezones())


@cache
def zone_names() -> tuple[str, ...]:
    """UTC, then the current geographic zones, sorted; only those this machine can load."""
    loadable = _loadable()
    rows = (line.split("\t") for line in _tz_file("zone1970.tab").splitlines())
    names = {row[2] for row in rows if row[0] and not row[0].startswith("#")}
    return (UTC, *sorted(names & loadable))


def zone_label(name: str) -> str:
    """ "America/Los Angeles": how a zone reads in a menu (the value keeps its underscore)."""
    return name.replace("_", " ")


def zone_choices() -> list[tuple[str, str]]:
    """(value, label) pairs for a menu."""
    return [(name, zone_label(name)) for name in zone_names()]


def canonical_zone(name: str) -> str | None:
    """The current name of a zone or of a retired alias, "Los Angeles" spaces allowed; None
    for anything the tz database does not know."""
    zones, links = _zones_and_links()
    name = (name or "").strip().replace(" ", "_")
    for _ in range(3):  # links point at zones, but follow a chain should one appear
        name = links.get(name, name)
    if name == "Etc/UTC":
        return UTC
    return name if name in zones and name in _loadable() else None


class ZoneField(forms.ChoiceField):
    """A time-zone menu of `zone_names()` that also accepts a retired alias and stores its
    current name (an old bookmark, a browser's Asia/Calcutta)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Time zone")
        super().__init__(
            choices=zone_choices,
            widget=forms.Select(attrs={"data-zone-picker": ""}),
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_zone(value) or value

    def valid_value(self, value):
        return value in zone_names() or value == canonical_zone(value)
