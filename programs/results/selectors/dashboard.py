"""Results across programmes for the manager dashboard: indicators on track, at risk and off track, by the
programmes' cooperation goals, and the reports overdue and waiting for review.

A fixed number of queries whatever the number of programmes, all counted in SQL: the indicators by progress from
their stored standings (``IndicatorStanding``, which the services keep current), overall and by goal, and the
reports overdue and waiting."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, QuerySet, Value, When

from cooperation.roles import Perm
from programs.models import Objective
from programs.results.models import IndicatorStanding, Report, ReportStatus
from programs.results.selectors.progress import Status, _status, indicator_percents, thresholds
from programs.results.selectors.reports import overdue_count
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


def _statuses(programme_ids: list[int] | None) -> dict[int, list[Status]]:
    """Each programme's indicators' progress status worked out live, as ``indicator_progress`` finds it
    (``programme_ids`` None: every programme): what the stored standings the dashboard counts must always equal."""
    statuses: dict[int, list[Status]] = defaultdict(list)
    for _pk, programme_id, percent in indicator_percents(programme_ids):
        statuses[programme_id].append(_status(percent))
    return statuses


def status_of(field: str = "percent") -> Case:
    """The progress status of a stored percent (``IndicatorStanding.percent`` or a path to it), in SQL, at the
    thresholds set now."""
    on_track, at_risk = thresholds()
    return Case(
        When(**{f"{field}__isnull": True}, then=Value(Status.NOT_MEASURED.value)),
        When(**{f"{field}__gte": on_track}, then=Value(Status.ON_TRACK.value)),
        When(**{f"{field}__gte": at_risk}, then=Value(Status.AT_RISK.value)),
        default=Value(Status.OFF_TRACK.value),
        output_field=CharField(),
    )


def results_dashboard(
    *, user, today: datetime.date | None = None, programmes: QuerySet | None = None
) -> ResultsFigures | None:
    """The figures over the programmes ``user`` sees (narrowed to ``programmes`` when given), or None for a user
    who may not see results."""
    if not user.has_perm(Perm.VIEW_RESULT):
        return None
    today = today_or(today)
    visible = programme_list(user=user) if programmes is None else programmes
    # The programmes stay a subquery (a list of ids would be as long as the portfolio); seeing every programme, the
    # counts need no narrowing at all.
    programme_ids = visible.order_by().values("pk") if visible.query.has_filters() else None
    narrowed = {} if programme_ids is None else {"programme_id__in": programme_ids}
    standings = IndicatorStanding.objects.filter(**narrowed).order_by()
    overall = dict.fromkeys(Status, 0)
    for status, count in standings.annotate(status=status_of()).values_list("status").annotate(count=Count("*")):
        overall[Status(status)] += count
    goals: dict[str, dict[Status, int]] = {}
    by_goal = (
        standings.annotate(objective=F("programme__objectives__objective"), status=status_of())
        .filter(objective__isnull=False)
        .values_list("objective", "status")
        .annotate(count=Count("*"))
    )
    for objective, status, count in by_goal:
        goals.setdefault(objective, dict.fromkeys(Status, 0))[Status(status)] += count
    waiting = Report.objects.filter(status=ReportStatus.SUBMITTED)
    if programme_ids is not None:
        waiting = waiting.filter(period__programme_id__in=programme_ids)
    return ResultsFigures(
        counts=overall,
        by_goal=[GoalRow(Objective(value), goals[value]) for value in Objective.values if value in goals],
        overdue=overdue_count(user=user, today=today, programme_ids=programme_ids),
        awaiting_review=waiting.count() if user.has_perm(Perm.VIEW_RESULTS_REPORT) else 0,
    )
