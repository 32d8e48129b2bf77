"""Template helpers shared by every front door."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format
from django.utils.translation import get_language

from cooperation.stylesheet import stylesheet_tag

register = template.Library()


@register.simple_tag(takes_context=True)
def stylesheet(context, path: str) -> str:
    """The stylesheet inline on a first visit, a link once the browser holds it (see ``cooperation.stylesheet``)."""
    return stylesheet_tag(context, path)


@register.filter
def money(amount, currency) -> str:
    """``1234.5|money:programme.budget_currency`` → "USD 1,234.50" (separators follow the active language)."""
    if amount is None or amount == "":
        return "—"
    digits = getattr(currency, "minor_unit", 2)
    code = getattr(currency, "code", currency) or ""
    return f"{code} {_grouped(amount, digits)}".strip()


# What ``floatformat`` does for an amount, done directly for the usual one: a page of schedules and repayments
# writes hundreds, and floatformat's general steps (any input, any grouping) are most of a page's drawing.
_PLACES = {places: Decimal(1).scaleb(-places) for places in range(7)}
_DIRECT_BELOW = Decimal(10) ** 18
_SEPARATORS: dict = {}  # language → (grouping, "," and "." → the language's separators), read once per language


@receiver(setting_changed)
def _forget_separators(**kwargs) -> None:
    _SEPARATORS.clear()


def _separators(language: str | None) -> tuple:
    if language not in _SEPARATORS:
        thousands, decimal = (
            get_format(name, language, use_l10n=True) for name in ("THOUSAND_SEPARATOR", "DECIMAL_SEPARATOR")
        )
        _SEPARATORS[language] = (
            get_format("NUMBER_GROUPING", language, use_l10n=True),
            str.maketrans({",": thousands, ".": decimal}),
        )
    return _SEPARATORS[language]


def _grouped(amount, places: int) -> str:
    """``floatformat(Decimal(amount), f"{places}g")``: rounded half up to ``places`` decimals, grouped by thousands
    with the active language's separators."""
    if type(amount) is int:
        amount = Decimal(amount)
    if type(amount) is Decimal and places in _PLACES and amount.is_finite() and abs(amount) < _DIRECT_BELOW:
        grouping, separators = _separators(get_language())
        if grouping == 3:
            rounded = amount.quantize(_PLACES[places], ROUND_HALF_UP)
            return f"{rounded if rounded else abs(rounded):,f}".translate(separators)
    return floatformat(Decimal(amount), f"{places}g")


@register.filter
def number(value) -> str:
    """Whole numbers with the active language's thousands separator."""
    if value is None:
        return "—"
    return intcomma(value)


def _save_view_form(source: str, list_path: str, params: str):
    from cooperation.exports.forms import SavedViewForm

    initial = {"source": source, "list_path": list_path, "params": params}
    return SavedViewForm(initial=initial, prefix=SavedViewForm.PREFIX, auto_id=f"{source.replace('.', '-')}-%s")


@register.inclusion_tag("includes/export_buttons.html", takes_context=True)
def export_buttons(context, source: str, label="", **filters) -> dict:
    """The list's "Export CSV" and "Export XLSX" links, carrying the page's filters and sort (not its page).

    A list on a record's page adds what its path holds (``{% export_buttons "finance.repayments" loan=loan.pk %}``);
    a second list on one page says what it exports (``label=_("Export its tranches:")``). A list page (neither)
    also offers the saved views of the list the user may open, and a form saving its filters and sort as a view."""
    from django.http import QueryDict
    from django.urls import reverse

    from cooperation.exports.selectors import visible_saved_views
    from cooperation.exports.tables import list_params

    request = context.get("request")
    query = list_params(request.GET) if request is not None else ""
    if filters:  # the page's own query, with what the page says of its list
        named = request.GET.copy() if request is not None else QueryDict(mutable=True)
        for name, value in filters.items():
            named[name] = str(value)
        query = list_params(named)
    suffix = f"?{query}" if query else ""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated) and not filters and not label
    return {
        "label": label,
        "csv_url": reverse("exports:export", args=[source, "csv"]) + suffix,
        "xlsx_url": reverse("exports:export", args=[source, "xlsx"]) + suffix,
        "signed_in": signed_in,
        "user": user,
        "saved_views": list(visible_saved_views(user=user, source=source)) if signed_in else [],
        "save_form": _save_view_form(source, request.path, query) if signed_in else None,
        "csrf_token": context.get("csrf_token"),
    }
