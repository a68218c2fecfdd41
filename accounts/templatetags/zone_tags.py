"""{% zone_choices as zones %}: the one time-zone list (accounts/zones.py) for menus that are
not Django form fields, such as the booking flow's slot picker."""

from django import template

from ..zones import zone_choices as _zone_choices

register = template.Library()


@register.simple_tag
def zone_choices() -> list[tuple[str, str]]:
    return _zone_choices()
