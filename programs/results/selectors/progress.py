"""How far each indicator has come: baseline → target → actual to date, percent of the way, and whether that is
on track. Only approved values count."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from django.apps import apps as global_apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.results.models import ActualValue, Indicator, Period, ReportStatus
from programs.results.selectors.frameworks import framework

PERCENT = Decimal("0.1")
NOT_APPROVED = ("", None)


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_MEASURED = "not_measured"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    Status.ON_TRACK: _("On track"),
    Status.AT_RISK: _("At risk"),
    Status.OFF_TRACK: _("Off track"),
    Status.NOT_MEASURED: _("Not measured yet"),
}


def thresholds() -> tuple[Decimal, Decimal]:
    """Percent of the target to date at or above which an indicator is on track, and at risk (below: off track)."""
    on_track = Decimal(str(getattr(settings, "RESULTS_ON_TRACK_PERCENT", 90)))
    at_risk = Decimal(str(getattr(settings, "RESULTS_AT_RISK_PERCENT", 60)))
    return on_track, at_risk


@dataclass
class Point:
    """One period of an indicator's chart: its target and its approved actual (None where there is none)."""

    period: Period
    target: Decimal | None
    actual: Decimal | None


@dataclass
class IndicatorProgress:
    indicator: Indicator
    baseline: Decimal | None
    target: Decimal | None  # what was due by the last reported period (or the overall target)
    actual: Decimal | None  # to date: the sum of approved values when they add up, else the latest
    percent: Decimal | None
    status: Status
    points: list[Point] = field(default_factory=list)
    latest_text: str = ""


def _percent(direction: str, baseline, target, actual) -> Decimal | None:
    """How much of the way from baseline to target ``actual`` has come (the direction is in the sign)."""
    if target is None or actual is None:
        return None
    start = baseline or Decimal(0)
    if target == start:
        reached = actual >= target if direction == "increase" else actual <= target
        return Decimal(100) if reached else Decimal(0)
    return ((actual - start) / (target - start) * 100).quantize(PERCENT, rounding=ROUND_HALF_EVEN)


def _status(percent: Decimal | None) -> Status:
    if percent is None:
        return Status.NOT_MEASURED
    on_track, at_risk = thresholds()
    if percent >= on_track:
        return Status.ON_TRACK
    return Status.AT_RISK if percent >= at_risk else Status.OFF_TRACK


def target_and_actual(cumulative: bool, overall_target, points: list[tuple]) -> tuple:
    """The target due and the actual to date of an indicator from its ``(target, approved actual)`` per period, in
    order: values that add up are summed up to the last period reported, others are the last period's; without a
    target per period, the overall target."""
    reported = [index for index, (_target, actual) in enumerate(points) if actual is not None]
    if cumulative:
        actual = sum((points[index][1] for index in reported), Decimal(0)) if reported else None
        due = [target for target, _actual in points[: reported[-1] + 1]] if reported else []
        target = sum((value for value in due if value is not None), Decimal(0)) if any(due) else None
    else:
        actual = points[reported[-1]][1] if reported else None
        target = points[reported[-1]][0] if reported else None
    if target is None:
        target = overall_target
    return target, actual


def progress_status(direction: str, baseline, target, actual) -> Status:
    """On track, at risk, off track or not measured: how far ``actual`` has come from ``baseline`` to ``target``."""
    return _status(_percent(direction, baseline, target, actual))


def indicator_percents(
    programme_ids: list[int] | None = None, *, indicator_ids: list[int] | None = None, apps=global_apps
) -> list[tuple[int, int, Decimal | None]]:
    """``(indicator id, programme id, percent)`` for each indicator of ``programme_ids`` (None: of every
    programme; ``indicator_ids`` narrows to those), in order of programme and indicator, from four queries of plain
    values (no model instances: a portfolio has tens of thousands of targets and values). ``apps`` gives the
    models (a migration passes its own)."""
    Period, PeriodTarget, ActualValue, Indicator = (
        apps.get_model("results", name) for name in ("Period", "PeriodTarget", "ActualValue", "Indicator")
    )

    def of(path: str, indicator: str | None = None) -> dict:
        narrowed = {} if programme_ids is None else {f"{path}__in": programme_ids}
        if indicator is not None and indicator_ids is not None:
            narrowed[f"{indicator}__in"] = indicator_ids
        return narrowed

    periods: dict[int, list[int]] = defaultdict(list)
    position: dict[int, int] = {}
    for period_id, programme_id in (
        Period.objects.filter(**of("programme_id")).order_by("starts_on").values_list("pk", "programme_id")
    ):
        position[period_id] = len(periods[programme_id])
        periods[programme_id].append(period_id)
    # By the targets' periods, which are their indicators' programme's: one join instead of two.
    targets: dict[tuple[int, int], object] = {
        (indicator_id, period_id): value
        for indicator_id, period_id, value in PeriodTarget.objects.filter(**of("period__programme_id", "indicator_id"))
        .order_by()
        .values_list("indicator_id", "period_id", "value")
    }
    # Where two approved reports of a period hold a value, the last one ``approved_values`` reads counts: reports
    # are in their partners' alphabetical order within a period. Read unsorted, the partner's name decides.
    approved: dict[tuple[int, int], tuple[str, object]] = {}
    for indicator_id, period_id, name, value in (
        ActualValue.objects.filter(
            report__status=ReportStatus.APPROVED, **of("report__period__programme_id", "indicator_id")
        )
        .order_by()
        .values_list("indicator_id", "report__period_id", "report__organisation__name", "value")
    ):
        key = (indicator_id, period_id)
        if key not in approved or name >= approved[key][0]:
            approved[key] = (name, value)
    # The last period each indicator was reported for: the periods after it change neither its target nor its
    # actual (``target_and_actual``), so its points stop there.
    last: dict[int, int] = {}
    for (indicator_id, period_id), (_name, value) in approved.items():
        if value is not None and period_id in position:
            last[indicator_id] = max(last.get(indicator_id, -1), position[period_id])
    percents = []
    indicators = (
        Indicator.objects.filter(**of("result__programme_id", "pk"))
        .order_by("result__programme_id", "pk")
        .values_list("pk", "result__programme_id", "direction", "cumulative", "baseline_value", "target_value")
    )
    for pk, programme_id, direction, cumulative, baseline, overall_target in indicators:
        reported = periods[programme_id][: last.get(pk, -1) + 1]
        points = [
            (targets.get((pk, period_id)), approved.get((pk, period_id), NOT_APPROVED)[1]) for period_id in reported
        ]
        target, actual = target_and_actual(cumulative, overall_target, points)
        percents.append((pk, programme_id, _percent(direction, baseline, target, actual)))
    return percents


def approved_values(indicators: list[Indicator]) -> dict[tuple[int, int], ActualValue]:
    """The approved values of ``indicators`` by (indicator id, period id), in one query. Where two approved reports
    of a period hold a value, the one read last counts: the partners' alphabetical order within the period, as the
    models' order has it."""
    return {
        (actual.indicator_id, actual.report.period_id): actual
        for actual in ActualValue.objects.filter(indicator__in=indicators, report__status=ReportStatus.APPROVED)
        .select_related("report")
        .order_by("report__organisation__name")
    }


def indicator_progress(
    indicators: list[Indicator], periods: list[Period], approved: dict | None = None
) -> list[IndicatorProgress]:
    """Each indicator's progress over ``periods`` (its programme's, in order): one query for the approved values
    unless the caller read them already (``approved_values``, for several programmes at once). The indicators are
    expected with their ``targets`` prefetched (``selectors.framework`` does)."""
    if approved is None:
        approved = approved_values(indicators)
    progress = []
    for indicator in indicators:
        targets = {target.period_id: target.value for target in indicator.targets.all()}
        points = [
            Point(period, targets.get(period.pk), getattr(approved.get((indicator.pk, period.pk)), "value", None))
            for period in periods
        ]
        texts = [approved[(indicator.pk, p.period.pk)].text for p in points if (indicator.pk, p.period.pk) in approved]
        target, actual = target_and_actual(
            indicator.cumulative, indicator.target_value, [(point.target, point.actual) for point in points]
        )
        percent = _percent(indicator.direction, indicator.baseline_value, target, actual)
        progress.append(
            IndicatorProgress(
                indicator=indicator,
                baseline=indicator.baseline_value,
                target=target,
                actual=actual,
                percent=percent,
                status=_status(percent),
                points=points,
                latest_text=texts[-1] if texts else "",
            )
        )
    return progress


def status_counts(progress: list[IndicatorProgress]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for entry in progress:
        counts[entry.status] += 1
    return counts


def programme_progress(*, user, programme) -> list[IndicatorProgress]:
    """Each indicator of the programme's framework, highest-level result first, with its progress over the
    programme's reporting periods, as the framework page shows it: seven queries however large the framework
    (404 unless ``user`` may read it)."""
    results = framework(user=user, programme=programme)
    periods = list(Period.objects.filter(programme=programme).order_by("starts_on"))
    indicators = []
    for result in results:
        for indicator in result.indicators.all():
            indicator.result = result  # its result is already read: no query to name it
            indicators.append(indicator)
    return indicator_progress(indicators, periods)
