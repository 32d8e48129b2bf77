"""Indicators fed by the records themselves: the modules register the figures they can compute
(``cooperation.registry.measure``); an indicator names one by its key, and each period's value is computed from
the records of that period instead of being typed."""

import datetime

from django.utils.translation import gettext as _

from cooperation import registry
from cooperation.measures import MeasuredValue

__all__ = ["MeasuredValue", "measure", "measure_choices", "measure_problem"]


def measure_choices() -> list[tuple[str, str]]:
    return [(entry.key, str(entry.label)) for entry in registry.measures()]


def measure_problem(key: str, unit: str) -> str | None:
    """Why an indicator of ``unit`` cannot be computed by the measure ``key``, or None."""
    entry = registry.measure_named(key)
    if entry is None:
        return _("Choose one of the figures the records offer.")
    if unit not in entry.units:
        return _("This figure cannot be measured in this unit.")
    return None


def measure(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The value of the indicator's measure over a span (its period's dates)."""
    return registry.measure_named(indicator.measure).compute_function(indicator, starts_on, ends_on)
