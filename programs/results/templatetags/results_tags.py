"""Filters of the results pages."""

from django import template

from programs.results.charts import shown_value

register = template.Library()


@register.filter
def figure(value) -> str:
    """An indicator value as people write it (90, 12.5, 1,200), a dash for none."""
    return shown_value(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]``, or None."""
    return mapping.get(key) if mapping else None
