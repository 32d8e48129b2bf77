"""Building a programme's results framework: results at three levels, their indicators and each period's target.
Until a value measured against an indicator is approved it is edited freely; after that every change is a
revision that says why (kept in the indicator's history with who made it)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.refusals import Refused, enforce, refuse
from cooperation.roles import Perm
from cooperation.workflow import as_decimal, clean_with, lock_row, new_values, only_fields, save_by
from programs.results.measures import measure_problem
from programs.results.models import (
    MAX_VALUE,
    VALUE_DIGITS,
    ActualValue,
    Indicator,
    Narrative,
    PeriodTarget,
    ReportStatus,
    Result,
    Unit,
)
from programs.results.services.guards import ResultsRefusal, framework_refusal
from programs.results.summaries import refresh

RESULT_FIELDS = ("level", "title", "description", "parent")
INDICATOR_FIELDS = (
    "title",
    "definition",
    "unit",
    "currency",
    "direction",
    "cumulative",
    "baseline_value",
    "baseline_text",
    "baseline_on",
    "baseline_note",
    "target_value",
    "target_text",
    "reporter",
    "measure",
)
INDICATOR_DEFAULTS = {
    "definition": "",
    "unit": Unit.NUMBER,
    "currency": None,
    "direction": "increase",
    "cumulative": True,
    "baseline_value": None,
    "baseline_text": "",
    "baseline_on": None,
    "baseline_note": "",
    "target_value": None,
    "target_text": "",
    "reporter": None,
    "measure": "",
}
VALUE_FIELDS = ("baseline_value", "target_value")


STEP = Decimal(1).scaleb(-VALUE_DIGITS["decimal_places"])


def value_problem(unit: str, value: Decimal | None) -> str | None:
    """What is wrong with a number for an indicator of ``unit``, or None: never negative, a percentage at most
    100, yes/no as 1 or 0."""
    if value is None:
        return None
    if value < 0:
        return _("The value cannot be negative.")
    if abs(value) > MAX_VALUE:
        return _("The value is too large.")
    if value.as_tuple().exponent < -VALUE_DIGITS["decimal_places"] and value != value.quantize(STEP):
        return _("Give at most two decimals.")
    if unit == Unit.PERCENTAGE and value > 100:
        return _("A percentage cannot be more than 100.")
    if unit == Unit.YES_NO and value not in (0, 1):
        return _("Give 1 for yes or 0 for no.")
    return None


def has_approved_values(indicator: Indicator) -> bool:
    return ActualValue.objects.filter(indicator=indicator, report__status=ReportStatus.APPROVED).exists()


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


def _result_errors(result: Result) -> dict:
    errors = {}
    parent = result.parent
    if parent is not None:
        if parent.programme_id != result.programme_id:
            errors["parent"] = _("Choose a result of the same programme.")
        elif parent.level <= result.level:
            errors["parent"] = _("An output serves an outcome, and an outcome an impact: choose a higher level.")
        elif parent.pk is not None and parent.pk == result.pk:
            errors["parent"] = _("A result cannot serve itself.")
    return errors


@transaction.atomic
def result_create(*, programme, created_by, **data) -> Result:
    require_perm(created_by, Perm.CHANGE_FRAMEWORK)
    values = new_values("result_create", data, RESULT_FIELDS, {"description": "", "parent": None})
    result = Result(programme=programme, **values)
    clean_with(result, _result_errors(result), exclude=["programme"])
    result.position = _next_position(programme.results.filter(level=result.level))
    result._history_user = created_by
    result.save()
    return result


@transaction.atomic
def result_update(*, result: Result, updated_by, **data) -> Result:
    require_perm(updated_by, Perm.CHANGE_FRAMEWORK)
    only_fields("result_update", data, RESULT_FIELDS)
    lock_row(result)
    changed = [field for field in RESULT_FIELDS if field in data and getattr(result, field) != data[field]]
    for field in changed:
        setattr(result, field, data[field])
    if changed:
        clean_with(result, _result_errors(result), exclude=["programme"])
        save_by(result, updated_by, changed)
    return result


@transaction.atomic
def result_delete(*, result: Result, deleted_by) -> None:
    """Remove a result that nothing was reported against yet (with its indicators and targets)."""
    require_perm(deleted_by, Perm.CHANGE_FRAMEWORK)
    if (
        ActualValue.objects.filter(indicator__result=result).exists()
        or Narrative.objects.filter(result=result).exists()
    ):
        raise refuse(ResultsRefusal.LOCKED, _("Values were reported against this result: it can no longer be removed."))
    if result.children.exists():
        raise refuse(ResultsRefusal.LOCKED, _("Other results serve this one: remove or move them first."))
    result.delete()


@transaction.atomic
def indicator_delete(*, indicator: Indicator, deleted_by) -> None:
    """Remove an indicator nothing was reported against yet (with its targets)."""
    require_perm(deleted_by, Perm.CHANGE_FRAMEWORK)
    if ActualValue.objects.filter(indicator=indicator).exists():
        raise refuse(
            ResultsRefusal.LOCKED, _("Values were reported against this indicator: it can no longer be removed.")
        )
    indicator.delete()


def _swap(record, queryset, step: int, user) -> None:
    """Move ``record`` one place up (``step`` -1) or down (+1) among ``queryset``."""
    siblings = list(queryset.order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == record.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            save_by(sibling, user, ["position"])


@transaction.atomic
def result_move(*, result: Result, step: int, moved_by) -> None:
    """Reorder a result among those of its programme at its level."""
    require_perm(moved_by, Perm.CHANGE_FRAMEWORK)
    _swap(result, result.programme.results.select_for_update().filter(level=result.level), step, moved_by)


def _indicator_errors(indicator: Indicator) -> dict:
    errors = {}
    for field in VALUE_FIELDS:
        problem = value_problem(indicator.unit, getattr(indicator, field))
        if problem:
            errors[field] = ValidationError(problem, code=ResultsRefusal.OUT_OF_RANGE)
    if indicator.unit == Unit.MONEY and indicator.currency_id is None:
        errors["currency"] = _("Choose the currency of a money indicator.")
    if indicator.unit != Unit.MONEY and indicator.currency_id is not None:
        errors["currency"] = _("Only a money indicator has a currency.")
    reporter = indicator.reporter_id
    if reporter is not None and not indicator.result.programme.participations.filter(organisation_id=reporter).exists():
        errors["reporter"] = _("Choose a partner that takes part in the programme.")
    if indicator.measure:
        problem = measure_problem(indicator.measure, indicator.unit)
        if problem:
            errors["measure"] = problem
    return errors


def _as_values(data: dict) -> dict:
    """Typed numbers as decimals; a number that is not one is refused here, beside its field."""
    errors = {}
    for field in VALUE_FIELDS:
        if field in data and data[field] not in (None, ""):
            number = as_decimal(data[field])
            if number is None:
                errors[field] = ValidationError(_("Give a number."), code=Refused.NOT_A_NUMBER)
            data[field] = number
        elif field in data:
            data[field] = None
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def indicator_create(*, result: Result, created_by, dimensions=(), **data) -> Indicator:
    require_perm(created_by, Perm.CHANGE_FRAMEWORK)
    values = new_values("indicator_create", _as_values(data), INDICATOR_FIELDS, INDICATOR_DEFAULTS)
    indicator = Indicator(result=result, **values)
    clean_with(indicator, _indicator_errors(indicator), exclude=["result"])
    indicator.position = _next_position(result.indicators.all())
    indicator._history_user = created_by
    indicator.save()
    indicator.dimensions.set(dimensions)
    refresh(indicator_id=indicator.pk)
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, updated_by, revision_reason: str = "", dimensions=None, **data
) -> Indicator:
    """Change an indicator; once values measured against it were approved, only with a ``revision_reason``."""
    only_fields("indicator_update", data, INDICATOR_FIELDS)
    lock_row(indicator)
    data = _as_values(data)
    changed = [field for field in INDICATOR_FIELDS if field in data and getattr(indicator, field) != data[field]]
    new_dimensions = None if dimensions is None else {d.pk for d in dimensions}
    dimensions_changed = new_dimensions is not None and new_dimensions != set(
        indicator.dimensions.values_list("pk", flat=True)
    )
    if not changed and not dimensions_changed:
        require_perm(updated_by, Perm.CHANGE_FRAMEWORK)
        return indicator
    enforce(framework_refusal(updated_by, has_approved_values=has_approved_values(indicator), reason=revision_reason))
    for field in changed:
        setattr(indicator, field, data[field])
    indicator.revision_reason = (revision_reason or "").strip()
    clean_with(indicator, _indicator_errors(indicator), exclude=["result"])
    save_by(indicator, updated_by, [*changed, "revision_reason"])
    if dimensions_changed:
        indicator.dimensions.set(dimensions)
    if changed:
        refresh(indicator_id=indicator.pk)
    return indicator


@transaction.atomic
def indicator_move(*, indicator: Indicator, step: int, moved_by) -> None:
    require_perm(moved_by, Perm.CHANGE_FRAMEWORK)
    _swap(indicator, indicator.result.indicators.select_for_update(), step, moved_by)


@transaction.atomic
def targets_set(*, indicator: Indicator, targets: dict, set_by, revision_reason: str = "") -> list[PeriodTarget]:
    """Set the indicator's target for each period in ``targets`` (period → number or text; empty clears it).
    A period of another programme is refused; so is changing targets of approved values without a reason."""
    errors = {}
    periods = {period.pk: period for period in indicator.result.programme.reporting_periods.all()}
    current = {target.period_id: target for target in indicator.targets.select_for_update()}
    wanted = {}
    for period, given in targets.items():
        field = f"target-{period.pk}"
        if period.pk not in periods:
            errors[field] = ValidationError(
                _("This period is not one of the programme's reporting periods."), code=ResultsRefusal.WRONG_PROGRAMME
            )
            continue
        if indicator.is_numeric:
            number = as_decimal(given) if given not in (None, "") else None
            if given not in (None, "") and number is None:
                errors[field] = ValidationError(_("Give a number."), code=Refused.NOT_A_NUMBER)
            elif (problem := value_problem(indicator.unit, number)) is not None:
                errors[field] = ValidationError(problem, code=ResultsRefusal.OUT_OF_RANGE)
            wanted[period.pk] = (number, "")
        else:
            wanted[period.pk] = (None, str(given or "").strip())
    if errors:
        raise ValidationError(errors)
    had = {pk: (target.value, target.text) for pk, target in current.items()}
    changes = {pk: value for pk, value in wanted.items() if had.get(pk, (None, "")) != value}
    if changes:
        enforce(framework_refusal(set_by, has_approved_values=has_approved_values(indicator), reason=revision_reason))
    else:
        require_perm(set_by, Perm.CHANGE_FRAMEWORK)
    for pk, (number, text) in changes.items():
        target = current.get(pk) or PeriodTarget(indicator=indicator, period=periods[pk])
        if number is None and not text:
            if target.pk is not None:
                target.delete()
            continue
        target.value, target.text = number, text
        target._history_user = set_by
        target.save()
    if changes:
        refresh(indicator_id=indicator.pk)
    return list(indicator.targets.select_related("period"))
