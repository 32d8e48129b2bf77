"""The services' errors under the names the API's input uses.

``report_save`` names a problem by its indicator, dimension value or result (``value-7``, ``part-7-12``,
``dimension-7-sex``, ``narrative-3``) and ``targets_set`` by its period (``target-5``); a client finds each one beside
the row it sent, at that row's position: ``values.0.value``, ``values.0.breakdown.12``, ``values.0.breakdown.sex``
(the parts of a dimension that do not add up to the total), ``narratives.0.result``, ``targets.0.value``.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings

from cooperation.api.exceptions import validation_detail


def _rows(count: int) -> list[dict]:
    return [{} for _ in range(count)]


def report_save_errors(error: DjangoValidationError, values: list[dict], narratives: list[dict]):
    """``report_save``'s refusal, each error at the position of the value or narrative it is about."""
    detail = validation_detail(error)
    value_at = {row["indicator"]: index for index, row in enumerate(values)}
    narrative_at = {row["result"]: index for index, row in enumerate(narratives)}
    value_rows, narrative_rows, rest = _rows(len(values)), _rows(len(narratives)), {}
    for key, messages in detail.items():
        kind, _dash, about = key.partition("-")
        first, _dash, second = about.partition("-")
        index = value_at.get(int(first)) if first.isdigit() and kind in ("value", "part", "dimension") else None
        if kind == "narrative" and first.isdigit() and int(first) in narrative_at:
            narrative_rows[narrative_at[int(first)]]["result"] = messages
        elif index is None:
            rest[key] = messages
        elif kind == "value":
            value_rows[index]["value"] = messages
        else:  # a part, or a dimension whose parts do not add up
            value_rows[index].setdefault("breakdown", {})[second] = messages
    if any(value_rows):
        rest["values"] = value_rows
    if any(narrative_rows):
        rest["narratives"] = narrative_rows
    return exceptions.ValidationError(rest or {api_settings.NON_FIELD_ERRORS_KEY: error.messages})


def targets_errors(error: DjangoValidationError, periods: list[int]):
    """``targets_set``'s refusal, each error at the position of the target it is about."""
    detail = validation_detail(error)
    at = {period: index for index, period in enumerate(periods)}
    rows, rest = _rows(len(periods)), {}
    for key, messages in detail.items():
        kind, _dash, period = key.partition("-")
        if kind == "target" and period.isdigit() and int(period) in at:
            rows[at[int(period)]]["value"] = messages
        else:
            rest[key] = messages
    if any(rows):
        rest["targets"] = rows
    return exceptions.ValidationError(rest)
