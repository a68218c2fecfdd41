"""The dashboard panel registry: the blocks apps offer to the pages that gather several apps.

A panels module (listed in settings.DASHBOARD_PANELS) has functions named after the page (`home`,
`portal`, `workspace`, `schedule`, `reports`, `client_file`), each taking the request and returning
a list of `Panel`s. The list is explicit so the kernel names no app: the modules are imported by
their dotted path from settings, and their order there breaks ties of `Panel.order`.
"""

import importlib
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string


@dataclass
class Panel:
    """A block of a dashboard: rendered by its app, placed by studio."""

    title: str
    html: str
    order: int = 50
    wide: bool = False


def panel(request, *, title: str, template: str, context: dict, order: int = 50, wide=False):
    """Render an app's panel template into a Panel."""
    return Panel(title, render_to_string(template, context, request), order, wide)


def collect_panels(page: str, request, **kwargs) -> list[Panel]:
    """Every registered module's panels for a page; kwargs (e.g. client=...) go to each hook."""
    panels: list[Panel] = []
    for path in settings.DASHBOARD_PANELS:
        hook = getattr(importlib.import_module(path), page, None)
        if hook is not None:
            panels.extend(hook(request, **kwargs))
    return sorted(panels, key=lambda p: p.order)
