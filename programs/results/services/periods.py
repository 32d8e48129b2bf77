"""Reporting periods cut from a programme's dates: calendar months, quarters, half-years or years, the first and
last clipped to the programme's start and end, each due a set number of days after it ends."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_days, add_months
from cooperation.refusals import refuse
from cooperation.roles import Perm
from cooperation.workflow import new_values
from programs.results.models import Frequency, Period, ReportingPlan
from programs.results.services.guards import ResultsRefusal
from programs.results.summaries import refresh
from programs.selectors import today_or

# No programme is cut into more periods than this (50 years of months).
MOST_PERIODS = 600


def programme_span(programme) -> tuple[datetime.date, datetime.date] | None:
    """The dates periods are cut from: the planned start and end, or the actual ones where the plan has none."""
    start = programme.planned_start or programme.actual_start
    end = programme.planned_end or programme.actual_end
    if start is None or end is None or end < start:
        return None
    return start, end


def cut_periods(start: datetime.date, end: datetime.date, months: int, due_after_days: int) -> list[tuple]:
    """``(starts_on, ends_on, due_on)`` for each period from ``start`` to ``end``, on calendar boundaries (a
    quarter starts in January, April, July or October)."""
    boundary = datetime.date(start.year, (start.month - 1) // months * months + 1, 1)
    periods = []
    while boundary <= end and len(periods) < MOST_PERIODS:
        following = add_months(boundary, months)
        starts_on, ends_on = max(boundary, start), min(following - datetime.timedelta(days=1), end)
        periods.append((starts_on, ends_on, add_days(ends_on, due_after_days)))
        boundary = following
    return periods


@transaction.atomic
def plan_set(*, programme, set_by, **data) -> ReportingPlan:
    """Set how often the programme's partners report (``frequency``, ``due_after_days``) and cut its periods."""
    require_perm(set_by, Perm.CHANGE_FRAMEWORK)
    values = new_values("plan_set", data, ("frequency", "due_after_days"), {"frequency": Frequency.QUARTERLY})
    plan = ReportingPlan.objects.filter(programme=programme).first() or ReportingPlan(programme=programme)
    plan.frequency, plan.due_after_days = values["frequency"], values["due_after_days"]
    plan.full_clean(exclude=["programme"])
    plan._history_user = set_by
    plan.save()
    periods_sync(programme, plan=plan)
    return plan


@transaction.atomic
def periods_sync(programme, *, plan: ReportingPlan | None = None, today: datetime.date | None = None) -> list[Period]:
    """Bring the programme's periods in line with its dates and plan. Periods already started or reported stay as
    they are; later ones are cut again (a period starting on the same day keeps its targets)."""
    plan = plan or ReportingPlan.objects.filter(programme=programme).first()
    span = programme_span(programme)
    if plan is None:
        return list(programme.reporting_periods.all())
    if span is None:
        raise refuse(
            ResultsRefusal.NO_PERIODS,
            _("Give the programme's planned start and end first: reporting periods are cut from them."),
        )
    try:
        wanted = cut_periods(*span, plan.frequency, plan.due_after_days)
    except DateOutOfRange:
        raise refuse(ResultsRefusal.NO_PERIODS, _("The programme's dates are too far in the future.")) from None
    today = today_or(today)
    existing = {period.starts_on: period for period in programme.reporting_periods.select_for_update()}
    fixed = {day for day, period in existing.items() if day <= today or period.reports.exists()}
    fixed_until = max((existing[day].ends_on for day in fixed), default=None)
    keep = set(fixed)
    for starts_on, ends_on, due_on in wanted:
        if starts_on in fixed or (fixed_until is not None and starts_on <= fixed_until):
            continue
        period = existing.get(starts_on) or Period(programme=programme, starts_on=starts_on)
        period.ends_on, period.due_on = ends_on, due_on
        period.save()
        keep.add(starts_on)
    Period.objects.filter(programme=programme).exclude(starts_on__in=keep).delete()
    refresh(programme_id=programme.pk)  # the periods (and their targets) the indicators are measured over
    return list(programme.reporting_periods.order_by("starts_on"))


def programme_dates_changed(*, programme, changed_by) -> None:
    """Followed on "programme.dates_changed": a programme with a reporting plan gets its later periods cut again
    (a change that leaves it without dates keeps the periods it has)."""
    if ReportingPlan.objects.filter(programme=programme).exists() and programme_span(programme) is not None:
        periods_sync(programme)
