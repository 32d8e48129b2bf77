"""Cell values the finance exports share: amounts rounded to their currency, labels of choices, local dates."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation

from cooperation.exports.tables import Cell, attribute
from cooperation.money import quantize


def amount(path: str, currency: str = "currency") -> Callable[[Any], Cell]:
    """The amount at ``path`` as a ``Decimal`` in its currency's minor unit (the currency read at ``currency``)."""
    read_amount, read_currency = attribute(path), attribute(currency)

    def value(row):
        figure, unit = read_amount(row), read_currency(row)
        return None if figure is None or unit is None else quantize(figure, unit)

    return value


def currency_code(path: str = "currency") -> Callable[[Any], Cell]:
    """The ISO 4217 code of the currency at ``path`` (the code is the currency's key: no query)."""
    return attribute(f"{path}_id")


def label(field: str) -> Callable[[Any], Cell]:
    """The translated label of a choice field (``get_<field>_display``), looked up once per value and language:
    an export writes the same few labels on every row."""
    labels: dict = {}

    def value(row):
        key = (getattr(row, field), translation.get_language())
        if key not in labels:
            labels[key] = str(getattr(row, f"get_{field}_display")())
        return labels[key]

    return value


def local_date(path: str) -> Callable[[Any], Cell]:
    """The local day of the moment at ``path`` (an approval's time, say), or empty."""
    read = attribute(path)

    def value(row):
        moment = read(row)
        return None if moment is None else timezone.localdate(moment)

    return value
