"""Cell values the finance exports share: amounts rounded to their currency, labels of choices, local dates."""

from collections.abc import Callable
from typing import Any

from django.utils import timezone, translation

from cooperation.exports.tables import Cell, attribute
from cooperation.money import quantize, quantize_to


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


# --- rows read as dictionaries (``QuerySet.values``): no model instance per row -------------------------------------


def key(name: str) -> Callable[[Any], Cell]:
    """The value read at ``name`` ("borrower__name")."""
    return lambda row: row[name]


def key_amount(name: str, minor_unit: str = "currency__minor_unit") -> Callable[[Any], Cell]:
    """The amount at ``name`` as a ``Decimal`` in its currency's minor unit (read at ``minor_unit``)."""

    def value(row):
        figure, digits = row[name], row[minor_unit]
        return None if figure is None or digits is None else quantize_to(figure, digits)

    return value


def key_label(model, field: str) -> Callable[[Any], Cell]:
    """The translated label of the choice at ``field``, as ``get_<field>_display`` gives it, looked up once per value
    in the language of the export (the one active when its first row is written: make the column for one export)."""
    choices = dict(model._meta.get_field(field).flatchoices)
    labels: dict = {}

    def value(row):
        raw = row[field]
        if raw not in labels:
            labels[raw] = str(choices.get(raw, raw))
        return labels[raw]

    return value


def key_local_date(name: str) -> Callable[[Any], Cell]:
    """The local day of the moment at ``name``, or empty (in the time zone active when the first row is written:
    make the column for one export)."""
    zone = []

    def value(row):
        moment = row[name]
        if moment is None:
            return None
        if not zone:
            zone.append(timezone.get_current_timezone())
        return moment.astimezone(zone[0]).date()

    return value
