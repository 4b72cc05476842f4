"""Small lookups the meeting templates need: a section's message, an item's minutes field."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def minutes_field(form, item):
    return form.minutes_field(item)


@register.filter
def as_list(value):
    return [value]
