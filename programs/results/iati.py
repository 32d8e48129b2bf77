"""A programme's results framework in its IATI activity: each result with at least one indicator is a ``result``
(its level the IATI result type), each indicator an ``indicator`` (its unit the measure, its direction
``ascending``), with its baseline and, per reporting period, its target and its actual.

Only approved reports count: an actual is the value of an approved report, then one more ``actual`` per part of
its breakdown, each with its ``dimension`` (the sex, age group... and the value counted in it). A qualitative
indicator's target, baseline and actual are said in a ``comment``, without a value. A result still without
indicators is left out (IATI wants at least one); a baseline without the date it was measured is a problem to fix,
since IATI needs its year.

A result, and an indicator, is marked fit for aggregation when its indicators count people or things, or money
(not a percentage, a yes/no or a text).
"""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from lxml import etree

from cooperation.iati import Part, Problem, decimal_text, narrative
from programs.results.models import (
    ActualValue,
    Breakdown,
    Indicator,
    PeriodTarget,
    ReportStatus,
    Result,
    Unit,
)

AGGREGATABLE = frozenset({Unit.NUMBER, Unit.MONEY})
ORDERED = frozenset({Unit.NUMBER, Unit.PERCENTAGE, Unit.MONEY})  # where "more is better" means something


def _boolean(truth: bool) -> str:
    return "true" if truth else "false"


def _text(parent, tag: str, text: str) -> None:
    if text:
        narrative(etree.SubElement(parent, tag), text)


def _figure(parent, tag: str, indicator: Indicator, value, text: str, comment: str = "", dimension=None):
    """A ``target`` or ``actual``: the value when the indicator is measured in numbers, its dimension, and the
    text (a qualitative indicator's) or a comment."""
    element = etree.SubElement(parent, tag)
    if indicator.unit != Unit.TEXT and value is not None:
        element.set("value", decimal_text(value))
    if dimension is not None:
        etree.SubElement(element, "dimension", name=str(dimension.dimension.name), value=str(dimension.name))
    _text(element, "comment", text if indicator.unit == Unit.TEXT else comment)
    return element


def _baseline(element, indicator: Indicator) -> Problem | None:
    if indicator.baseline_value is None and not indicator.baseline_text:
        return None
    if indicator.baseline_on is None:
        return Problem(
            indicator.result.programme_id,
            _(
                "The indicator “%(indicator)s” has a baseline without the date it was measured: IATI needs its year. "
                "Give the baseline date."
            )
            % {"indicator": indicator.title},
        )
    baseline = etree.SubElement(
        element, "baseline", year=str(indicator.baseline_on.year), **{"iso-date": indicator.baseline_on.isoformat()}
    )
    if indicator.unit != Unit.TEXT and indicator.baseline_value is not None:
        baseline.set("value", decimal_text(indicator.baseline_value))
    _text(baseline, "comment", indicator.baseline_text if indicator.unit == Unit.TEXT else indicator.baseline_note)
    return None


def _periods(element, indicator: Indicator, actuals: list[ActualValue]) -> None:
    targets = {target.period_id: target for target in indicator.targets.all()}
    approved = {actual.report.period_id: actual for actual in actuals}
    periods = {target.period_id: target.period for target in targets.values()}
    periods.update({actual.report.period_id: actual.report.period for actual in actuals})
    for period in sorted(periods.values(), key=lambda period: period.starts_on):
        target, actual = targets.get(period.pk), approved.get(period.pk)
        has_target = target is not None and (target.value is not None or target.text)
        if not has_target and actual is None:
            continue
        block = etree.SubElement(element, "period")
        etree.SubElement(block, "period-start", **{"iso-date": period.starts_on.isoformat()})
        etree.SubElement(block, "period-end", **{"iso-date": period.ends_on.isoformat()})
        if has_target:
            _figure(block, "target", indicator, target.value, target.text)
        if actual is not None:
            _figure(block, "actual", indicator, actual.value, actual.text, actual.comment)
            for part in actual.breakdown.all():
                _figure(block, "actual", indicator, part.value, "", dimension=part.dimension_value)


def _indicator(parent, indicator: Indicator, actuals: list[ActualValue]) -> Problem | None:
    element = etree.SubElement(
        parent,
        "indicator",
        measure=str(indicator.iati_measure),
        **{"aggregation-status": _boolean(indicator.unit in AGGREGATABLE)},
    )
    if indicator.unit in ORDERED:
        element.set("ascending", _boolean(indicator.direction == "increase"))
    _text(element, "title", indicator.title)
    _text(element, "description", indicator.definition)
    problem = _baseline(element, indicator)
    _periods(element, indicator, actuals)
    return problem


def _result(result: Result, actuals: dict[int, list[ActualValue]]) -> tuple[etree._Element, list[Problem]]:
    indicators = list(result.indicators.all())
    element = etree.Element(
        "result",
        type=str(result.level),
        **{"aggregation-status": _boolean(all(indicator.unit in AGGREGATABLE for indicator in indicators))},
    )
    _text(element, "title", result.title)
    _text(element, "description", result.description)
    problems = [_indicator(element, indicator, actuals.get(indicator.pk, [])) for indicator in indicators]
    return element, [problem for problem in problems if problem is not None]


def _approved(programme_ids) -> dict[int, list[ActualValue]]:
    """The approved values by indicator, each with its period and its breakdown: two queries."""
    breakdown = Breakdown.objects.select_related("dimension_value__dimension")
    rows = (
        ActualValue.objects.filter(
            indicator__result__programme_id__in=programme_ids, report__status=ReportStatus.APPROVED
        )
        .select_related("report__period")
        .prefetch_related(Prefetch("breakdown", queryset=breakdown))
        .order_by("report__period__starts_on", "pk")
    )
    found = defaultdict(list)
    for actual in rows:
        found[actual.indicator_id].append(actual)
    return found


def parts(programmes) -> list[Part | Problem]:
    """Results' contribution to the IATI file for ``programmes``: five queries however large the frameworks."""
    programme_ids = [programme.pk for programme in programmes]
    indicators = Indicator.objects.order_by("position", "pk").prefetch_related(
        Prefetch("targets", queryset=PeriodTarget.objects.select_related("period"))
    )
    results = (
        Result.objects.filter(programme_id__in=programme_ids)
        .prefetch_related(Prefetch("indicators", queryset=indicators))
        .order_by("programme_id", "-level", "position", "pk")
    )
    actuals = _approved(programme_ids)
    found: list[Part | Problem] = []
    for result in results:
        if not result.indicators.all():
            continue
        element, problems = _result(result, actuals)
        found += [Part(result.programme_id, element), *problems]
    return found
