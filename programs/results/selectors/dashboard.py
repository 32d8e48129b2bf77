"""Results across programmes for the manager dashboard: indicators on track, at risk and off track, by the
programmes' cooperation goals, and the reports overdue and waiting for review.

A fixed number of queries whatever the number of programmes: the indicators, their targets, the periods and the
approved values are each read once as plain values and grouped here; the reports overdue and waiting are counted in
SQL."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from cooperation.roles import Perm
from programs.models import Objective, ProgrammeObjective
from programs.results.models import ActualValue, Indicator, Period, PeriodTarget, Report, ReportStatus
from programs.results.selectors.progress import Status, progress_status, target_and_actual
from programs.results.selectors.reports import overdue_count
from programs.selectors import programme_list, today_or

NOT_APPROVED = ("", None)


@dataclass
class GoalRow:
    objective: Objective
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ResultsFigures:
    counts: dict[Status, int]
    by_goal: list[GoalRow] = field(default_factory=list)
    overdue: int = 0
    awaiting_review: int = 0

    @property
    def indicators(self) -> int:
        return sum(self.counts.values())


def _statuses(programme_ids: list[int] | None) -> dict[int, list[Status]]:
    """Each programme's indicators' progress status, as ``indicator_progress`` finds it, from four queries of plain
    values (no model instances: a portfolio has tens of thousands of targets and values). ``programme_ids`` None
    means every programme: the reads then need no join to find the programmes."""

    def of(path: str) -> dict:
        return {} if programme_ids is None else {f"{path}__in": programme_ids}

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
        for indicator_id, period_id, value in PeriodTarget.objects.filter(**of("period__programme_id"))
        .order_by()
        .values_list("indicator_id", "period_id", "value")
    }
    # Where two approved reports of a period hold a value, the last one ``approved_values`` reads counts: reports
    # are in their partners' alphabetical order within a period. Read unsorted, the partner's name decides.
    approved: dict[tuple[int, int], tuple[str, object]] = {}
    for indicator_id, period_id, name, value in (
        ActualValue.objects.filter(report__status=ReportStatus.APPROVED, **of("report__period__programme_id"))
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
    statuses: dict[int, list[Status]] = defaultdict(list)
    indicators = (
        Indicator.objects.filter(**of("result__programme_id"))
        .order_by("result__programme_id", "pk")
        .values_list("pk", "result__programme_id", "direction", "cumulative", "baseline_value", "target_value")
    )
    for pk, programme_id, direction, cumulative, baseline, overall_target in indicators:
        reported = periods[programme_id][: last.get(pk, -1) + 1]
        points = [
            (targets.get((pk, period_id)), approved.get((pk, period_id), NOT_APPROVED)[1]) for period_id in reported
        ]
        target, actual = target_and_actual(cumulative, overall_target, points)
        statuses[programme_id].append(progress_status(direction, baseline, target, actual))
    return statuses


def results_dashboard(
    *, user, today: datetime.date | None = None, programmes: QuerySet | None = None
) -> ResultsFigures | None:
    """The figures over the programmes ``user`` sees (narrowed to ``programmes`` when given), or None for a user
    who may not see results."""
    if not user.has_perm(Perm.VIEW_RESULT):
        return None
    today = today_or(today)
    visible = programme_list(user=user) if programmes is None else programmes
    programme_ids = list(visible.values_list("pk", flat=True))
    statuses = _statuses(programme_ids if visible.query.has_filters() else None)
    goals: dict[str, dict[Status, int]] = {}
    objectives = ProgrammeObjective.objects.filter(programme_id__in=statuses).order_by()
    for programme_id, objective in objectives.values_list("programme_id", "objective"):
        row = goals.setdefault(objective, dict.fromkeys(Status, 0))
        for status in statuses[programme_id]:
            row[status] += 1
    overall = dict.fromkeys(Status, 0)
    for rows in statuses.values():
        for status in rows:
            overall[status] += 1
    waiting = Report.objects.filter(period__programme_id__in=programme_ids, status=ReportStatus.SUBMITTED)
    return ResultsFigures(
        counts=overall,
        by_goal=[GoalRow(Objective(value), goals[value]) for value in Objective.values if value in goals],
        overdue=overdue_count(user=user, today=today, programme_ids=programme_ids),
        awaiting_review=waiting.count() if user.has_perm(Perm.VIEW_RESULTS_REPORT) else 0,
    )
