"""How far each indicator has come: baseline → target → actual to date, percent of the way, and whether that is
on track. Only approved values count."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from programs.results.models import ActualValue, Indicator, Period, ReportStatus
from programs.results.selectors.frameworks import framework

PERCENT = Decimal("0.1")


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


def approved_values(indicators: list[Indicator]) -> dict[tuple[int, int], ActualValue]:
    """The approved values of ``indicators`` by (indicator id, period id), in one query."""
    return {
        (actual.indicator_id, actual.report.period_id): actual
        for actual in ActualValue.objects.filter(
            indicator__in=indicators, report__status=ReportStatus.APPROVED
        ).select_related("report")
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
