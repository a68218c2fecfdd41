"""Template helpers for accounts pages: Pico-friendly form fields, red flags."""

from django import template

register = template.Library()


@register.filter
def field_kind(bound_field) -> str:
    """'choices' for radio/checkbox groups, 'checkbox' for one tick box, else 'input'."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type == "radio" or getattr(widget, "allow_multiple_selected", False):
        return "choices"
    if input_type == "checkbox":
        return "checkbox"
    return "input"


@register.simple_tag
def widget(bound_field):
    """The field's widget, marked aria-invalid and tied to its error text when it has errors."""
    attrs = {}
    if bound_field.help_text:
        attrs["aria-describedby"] = f"{bound_field.auto_id}_help"
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_error"
    return bound_field.as_widget(attrs=attrs)
