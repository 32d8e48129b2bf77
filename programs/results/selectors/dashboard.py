"""Results across programmes for the manager dashboard: indicators on track, at risk and off track, by the
programmes' cooperation goals, and the reports overdue and waiting for review.

A fixed number of queries whatever the number of programmes: the indicators with their targets, the periods, the
approved values and the reports are each read once and grouped here."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from cooperation.roles import Perm
from programs.models import Objective, Programme, ProgrammeObjective
from programs.results.models import Indicator, Period, Report, ReportStatus
from programs.results.selectors.progress import Status, approved_values, indicator_progress, status_counts
from programs.results.selectors.reports import reports_due
from programs.selectors import programme_list, today_or


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
    indicators = list(
        Indicator.objects.filter(result__programme_id__in=programme_ids)
        .select_related("result")
        .prefetch_related("targets")
        .order_by("result__programme_id", "pk")
    )
    periods: dict[int, list[Period]] = defaultdict(list)
    for period in Period.objects.filter(programme_id__in=programme_ids).order_by("starts_on"):
        periods[period.programme_id].append(period)
    by_programme: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_programme[indicator.result.programme_id].append(indicator)
    approved = approved_values(indicators)
    progress = {
        programme_id: indicator_progress(rows, periods[programme_id], approved)
        for programme_id, rows in by_programme.items()
    }
    goals: dict[str, dict[Status, int]] = {}
    objectives = Programme.objects.filter(pk__in=progress).prefetch_related(
        Prefetch("objectives", queryset=ProgrammeObjective.objects.all())
    )
    for programme in objectives:
        counts = status_counts(progress[programme.pk])
        for objective in programme.objectives.all():
            row = goals.setdefault(objective.objective, dict.fromkeys(Status, 0))
            for status, count in counts.items():
                row[status] += count
    overall = status_counts([entry for rows in progress.values() for entry in rows])
    visible_ids = set(programme_ids)
    due = [entry for entry in reports_due(user=user, today=today) if entry.period.programme_id in visible_ids]
    waiting = Report.objects.filter(period__programme_id__in=programme_ids, status=ReportStatus.SUBMITTED)
    return ResultsFigures(
        counts=overall,
        by_goal=[GoalRow(Objective(value), goals[value]) for value in Objective.values if value in goals],
        overdue=sum(1 for entry in due if entry.overdue),
        awaiting_review=waiting.count() if user.has_perm(Perm.VIEW_RESULTS_REPORT) else 0,
    )
