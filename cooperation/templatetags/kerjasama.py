"""Template helpers shared by every front door."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def money(amount, currency) -> str:
    """``1234.5|money:programme.budget_currency`` → "USD 1,234.50" (separators follow the active language)."""
    if amount is None or amount == "":
        return "—"
    digits = getattr(currency, "minor_unit", 2)
    code = getattr(currency, "code", currency) or ""
    formatted = floatformat(Decimal(amount), f"{digits}g")
    return f"{code} {formatted}".strip()


@register.filter
def number(value) -> str:
    """Whole numbers with the active language's thousands separator."""
    if value is None:
        return "—"
    return intcomma(value)
