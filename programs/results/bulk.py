"""Generated results frameworks and the partners' reports against them (see ``generate_bulk``).

Every generated programme gets a reporting plan, its reporting periods over its planned span, a framework of one
impact, two outcomes and three outputs (each output serving an outcome) with one indicator each and a target per
period, reported by the programme's accountable partner. Each period that ended has its report: approved when
long past, submitted or returned when recent, and missing for a few (late); a report carries a value for every
indicator and a narrative for every result. How far each indicator has come (``IndicatorStanding``), which the
services keep current, is worked out at the end from what was written.
"""

import datetime
from decimal import Decimal

from cooperation.dates import add_days, add_months
from cooperation.reference.codes import OrganisationRole
from programs.bulk import generated_programmes, participants
from programs.results import summaries
from programs.results.models import (
    ActualValue,
    Frequency,
    Indicator,
    Narrative,
    Period,
    PeriodTarget,
    Report,
    ReportingPlan,
    ReportStatus,
    Result,
    ResultLevel,
    Unit,
)

ORDER = 60
DUE_AFTER_DAYS = 30
# (level, title, indicator, unit, position of the outcome it serves): the framework every programme gets.
FRAMEWORK = (
    (ResultLevel.IMPACT, "Better living conditions in the target districts", "Households above the poverty line",
     Unit.PERCENTAGE, None),
    (ResultLevel.OUTCOME, "Communities use the new services", "People using the services", Unit.NUMBER, None),
    (ResultLevel.OUTCOME, "Local institutions run the services", "Institutions meeting the service standard",
     Unit.NUMBER, None),
    (ResultLevel.OUTPUT, "Facilities built or repaired", "Facilities completed", Unit.NUMBER, 1),
    (ResultLevel.OUTPUT, "People trained", "People trained", Unit.NUMBER, 1),
    (ResultLevel.OUTPUT, "Operating plans adopted", "Institutions with an adopted plan", Unit.NUMBER, 2),
)  # fmt: skip


def _periods(start: datetime.date, end: datetime.date, months: int) -> list[tuple]:
    periods, first = [], start
    while first <= end:
        last = min(end, add_days(add_months(first, months), -1))
        periods.append((first, last, add_days(last, DUE_AFTER_DAYS)))
        first = add_days(last, 1)
    return periods


def _target(unit: Unit, baseline: Decimal, per_period: Decimal, number: int) -> Decimal:
    """A period's target: what it adds (a count) or the level reached by then (a percentage, which stands alone)."""
    if unit == Unit.PERCENTAGE:
        return min(Decimal(95), baseline + per_period * number)
    return per_period


def _report_status(run, due_on: datetime.date) -> ReportStatus | None:
    """What became of the report of a period due on ``due_on``: None when it was never started."""
    age = (run.today - due_on).days
    chance = run.random.random()
    if age > 120:
        return ReportStatus.APPROVED if chance < 0.97 else None
    if age > 0:
        return (ReportStatus.APPROVED, ReportStatus.SUBMITTED, ReportStatus.RETURNED, None)[
            0 if chance < 0.5 else 1 if chance < 0.8 else 2 if chance < 0.9 else 3
        ]
    return ReportStatus.DRAFT if chance < 0.5 else None


def generate(*, run) -> None:
    programmes = generated_programmes()
    parties = participants(programmes)
    spans = programmes.order_by("pk").values_list("pk", "planned_start", "planned_end")
    officer, partner_user = run.users["officer"].pk, run.users["partner"].pk
    period_ids, result_ids, indicator_ids, report_ids = (
        run.ids(Period), run.ids(Result), run.ids(Indicator), run.ids(Report),
    )  # fmt: skip
    plans = run.table(ReportingPlan, ("programme_id", "frequency", "due_after_days", "created_at", "updated_at"))
    periods = run.table(Period, ("id", "programme_id", "starts_on", "ends_on", "due_on"))
    results = run.table(
        Result, ("id", "programme_id", "level", "title", "parent_id", "position", "created_at", "updated_at")
    )
    indicators = run.table(
        Indicator,
        ("id", "result_id", "title", "unit", "cumulative", "baseline_value", "baseline_on", "target_value",
         "reporter_id", "position", "created_at", "updated_at"),
    )  # fmt: skip
    targets = run.table(PeriodTarget, ("indicator_id", "period_id", "value"))
    reports = run.table(
        Report,
        ("id", "period_id", "organisation_id", "status", "submitted_by_id", "submitted_at", "reviewed_by_id",
         "reviewed_at", "review_comment", "created_at", "updated_at"),
    )  # fmt: skip
    values = run.table(ActualValue, ("report_id", "indicator_id", "value", "comment"))
    narratives = run.table(Narrative, ("report_id", "result_id", "text"))
    for programme, start, end in spans:
        reporter = next((pk for pk, role in parties[programme] if role == OrganisationRole.ACCOUNTABLE), None)
        reporter = reporter or parties[programme][0][0]
        months = run.random.choice((Frequency.QUARTERLY, Frequency.QUARTERLY, Frequency.SEMI_ANNUAL))
        created = run.moment(min(run.today, start))
        plans.add(programme, months.value, DUE_AFTER_DAYS, created, created)
        own_periods = [(next(period_ids), *days) for days in _periods(start, end, months.value)]
        for period in own_periods:
            periods.add(period[0], programme, *period[1:])
        framework = []  # (result id, indicator id, unit, baseline, per-period target)
        for position, (level, title, indicator_title, unit, serves) in enumerate(FRAMEWORK):
            result, indicator = next(result_ids), next(indicator_ids)
            parent = framework[serves][0] if serves is not None else None
            results.add(result, programme, level.value, title, parent, position, created, created)
            baseline = Decimal(run.random.randint(10, 40)) if unit == Unit.PERCENTAGE else Decimal(0)
            per_period = Decimal(run.random.randint(1, 5) if unit == Unit.PERCENTAGE else run.random.randint(5, 400))
            overall = baseline + per_period * len(own_periods)
            if unit == Unit.PERCENTAGE:
                overall = min(Decimal(95), overall)
            indicators.add(
                indicator, result, indicator_title, unit.value, unit != Unit.PERCENTAGE, baseline, start, overall,
                reporter, 0, created, created,
            )  # fmt: skip
            framework.append((result, indicator, unit, baseline, per_period))
            for number, period in enumerate(own_periods, start=1):
                targets.add(indicator, period[0], _target(unit, baseline, per_period, number))
        for number, (period_id, _starts, ends_on, due_on) in enumerate(own_periods, start=1):
            status = _report_status(run, due_on) if ends_on < run.today else None
            if status is None:
                continue
            report = next(report_ids)
            written = run.moment(min(run.today, add_days(ends_on, run.random.randint(1, DUE_AFTER_DAYS + 10))))
            submitted = written if status != ReportStatus.DRAFT else None
            reviewed = (
                min(run.now, written + datetime.timedelta(days=run.random.randint(2, 20)))
                if status in (ReportStatus.APPROVED, ReportStatus.RETURNED)
                else None
            )
            reports.add(
                report, period_id, reporter, status.value, partner_user if submitted else None, submitted,
                officer if reviewed else None, reviewed,
                "Please add the attendance lists." if status == ReportStatus.RETURNED else "",
                written, reviewed or written,
            )  # fmt: skip
            for result, indicator, unit, baseline, per_period in framework:
                share = Decimal(str(round(run.random.uniform(0.6, 1.2), 2)))
                achieved = (_target(unit, baseline, per_period, number) * share).quantize(Decimal(1))
                if unit == Unit.PERCENTAGE:
                    achieved = min(Decimal(100), achieved)
                values.add(report, indicator, achieved, "")
                narratives.add(report, result, "Work went as planned in most districts.")
    run.flush()
    summaries.rebuild()
