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


@register.inclusion_tag("includes/export_buttons.html", takes_context=True)
def export_buttons(context, source: str, **params) -> dict:
    """The list's "Export CSV" and "Export XLSX" links, carrying the page's filters and sort (not its page), and
    ``params`` where the page names its list in its path rather than its query (``programme=programme.pk``)."""
    from django.http import QueryDict
    from django.urls import reverse

    from cooperation.exports.views import list_params

    request = context.get("request")
    filters = request.GET.copy() if request is not None else QueryDict(mutable=True)
    for name, value in params.items():
        filters[name] = str(value)
    query = list_params(filters)
    suffix = f"?{query}" if query else ""
    return {
        "csv_url": reverse("exports:export", args=[source, "csv"]) + suffix,
        "xlsx_url": reverse("exports:export", args=[source, "xlsx"]) + suffix,
    }
