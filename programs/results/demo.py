"""Demonstration results frameworks for ``manage.py load_demo``: every demo programme gets one, built from its
forms of cooperation (the tables below), with quarterly periods, targets, and reports in every state: approved
ones for the older quarters, one returned with a comment, one waiting for review, one overdue, the current one a
draft; the reminders owed today are sent. Partners with a demo user report themselves; for the others the
officer enters the report on their behalf (as from a paper report), and the manager reviews it. A programme that
already has results is left as it is, so a second run changes nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from cooperation.reference.codes import OrganisationRole
from partners.selectors import user_organisation_ids
from programs.models import Programme
from programs.results import services
from programs.results.models import Dimension, Frequency, Report, ReportStatus, ResultLevel, Unit
from programs.results.reminders import send_results_reminders


@dataclass(frozen=True)
class DemoIndicator:
    title: str
    unit: Unit = Unit.NUMBER
    per_period: int | None = 100  # the target of each quarter (numbers) or the overall target (percentages)
    baseline: int | None = None
    cumulative: bool = True
    by_sex: bool = False
    measure: str = ""


@dataclass(frozen=True)
class DemoResult:
    level: ResultLevel
    title: str
    indicators: tuple[DemoIndicator, ...]


# The results every programme has, then those of each form of cooperation it includes.
COMMON = (
    DemoResult(
        ResultLevel.IMPACT,
        "Partner communities are better off",
        (
            DemoIndicator("Partner organisations engaged", per_period=None, measure="programs.partners_engaged"),
            DemoIndicator("How the partners judge the progress", Unit.TEXT, per_period=None, cumulative=False),
        ),
    ),
)
BY_FORM = {
    "financial": DemoResult(
        ResultLevel.OUTCOME,
        "Local enterprises invest with concessional finance",
        (
            DemoIndicator("Loans disbursed", per_period=1, measure="finance.loans_disbursed"),
            DemoIndicator("Enterprises reporting higher income", Unit.PERCENTAGE, 70, baseline=20, cumulative=False),
        ),
    ),
    "technical": DemoResult(
        ResultLevel.OUTPUT,
        "People trained in new skills",
        (
            DemoIndicator("People trained", per_period=120, by_sex=True),
            DemoIndicator(
                "Scholars who completed their studies", per_period=None, by_sex=True, measure="scholarships.completed"
            ),
        ),
    ),
    "cultural": DemoResult(
        ResultLevel.OUTPUT,
        "People take part in exchanges",
        (DemoIndicator("Exchange participants", per_period=40, by_sex=True, measure="scholarships.participants"),),
    ),
    "in_kind": DemoResult(
        ResultLevel.OUTCOME,
        "Households receive relief goods in good condition",
        (
            DemoIndicator("Households reached", per_period=500),
            DemoIndicator("Goods received in good condition", per_period=None, measure="shipments.goods_received"),
        ),
    ),
}
# How each demo programme's partner does against its quarterly targets, by programme: on track, at risk, behind.
PACE = (Decimal("1.05"), Decimal("0.75"), Decimal("0.4"), Decimal("0.95"))
# What happens to a programme's past quarters, newest first: overdue (nothing sent), waiting for review,
# returned for revision, then approved.
NEWEST_FIRST = ("overdue", "submitted", "returned")


def load(*, run) -> str:
    built = 0
    for index, programme in enumerate(Programme.objects.order_by("code")):
        if programme.results.exists():
            continue
        _build(programme, run.users, index, run.today)
        built += 1
        run.log(f"  results framework of {programme.code} built")
    # The same service as the daily job: each reminder is written once.
    reminders = send_results_reminders(today=run.today)
    return _summary(built, len(reminders))


def _reporter(programme):
    participations = list(programme.participations.select_related("organisation"))
    for role in (OrganisationRole.IMPLEMENTING, OrganisationRole.EXTENDING, OrganisationRole.ACCOUNTABLE):
        for participation in participations:
            if participation.role == role:
                return participation.organisation
    return participations[0].organisation if participations else None


def _build(programme, users, index: int, today: datetime.date) -> None:
    officer, reporter = users["officer"], _reporter(programme)
    services.plan_set(programme=programme, set_by=officer, frequency=Frequency.QUARTERLY, due_after_days=30)
    periods = list(programme.reporting_periods.order_by("starts_on"))
    sex = Dimension.objects.get(code="sex")
    currency = programme.budget_currency
    results = COMMON + tuple(BY_FORM[form] for form in programme.forms if form in BY_FORM)
    for demo in results:
        result = services.result_create(programme=programme, created_by=officer, level=demo.level, title=demo.title)
        for spec in demo.indicators:
            money = spec.measure == "finance.loans_disbursed"
            indicator = services.indicator_create(
                result=result,
                created_by=officer,
                title=spec.title,
                unit=Unit.MONEY if money else spec.unit,
                currency=currency if money else None,
                cumulative=spec.cumulative,
                baseline_value=spec.baseline,
                baseline_on=programme.planned_start if spec.baseline is not None else None,
                target_value=spec.per_period if spec.unit == Unit.PERCENTAGE else None,
                target_text="All partners see clear progress" if spec.unit == Unit.TEXT else "",
                reporter=reporter,
                measure=spec.measure,
                dimensions=[sex] if spec.by_sex else [],
            )
            if spec.per_period and spec.unit == Unit.NUMBER and not spec.measure:
                services.targets_set(
                    indicator=indicator, targets=dict.fromkeys(periods, spec.per_period), set_by=officer
                )
    if reporter is not None:
        _report(programme, periods, reporter, users, PACE[index % len(PACE)], today)


def _report(programme, periods, organisation, users, pace: Decimal, today: datetime.date) -> None:
    """Reports for the quarters that have begun: the current one a draft, the past ones by ``NEWEST_FIRST``."""
    begun = [period for period in periods if period.starts_on <= today]
    past = [period for period in begun if period.ends_on < today]
    partner = next((u for u in users.values() if organisation.pk in user_organisation_ids(u)), None)
    author = partner or users["officer"]
    states = {period.pk: "approved" for period in past}
    for period, state in zip(reversed(past), NEWEST_FIRST, strict=False):
        states[period.pk] = state
    if begun and begun[-1] not in past:
        states[begun[-1].pk] = "draft"
    for period in begun:
        state = states[period.pk]
        if state == "overdue":
            continue
        report = services.report_open(period=period, organisation=organisation, opened_by=author, today=today)
        services.report_save(report=report, saved_by=author, **_typed(report, period, pace))
        if state == "draft":
            continue
        services.report_submit(report=report, submitted_by=author)
        if state == "returned":
            _return(report, users["officer"] if partner else users["manager"])
        elif state == "approved":
            services.report_approve(report=report, approved_by=users["manager"])


def _typed(report: Report, period, pace: Decimal) -> dict:
    """What the partner types: each number at ``pace`` of its target, women a little over half."""
    values, narratives = {}, {}
    for indicator in services.reported_indicators(period, report.organisation_id):
        if indicator.measure:
            continue
        narratives[indicator.result_id] = "Work went ahead as planned in the districts; see the attached lists."
        if indicator.unit == Unit.TEXT:
            values[indicator.pk] = {"text": "Partners see steady progress; the rainy season slowed field work."}
            continue
        target = next((t.value for t in indicator.targets.all() if t.period_id == period.pk), indicator.target_value)
        value = (Decimal(target or 0) * pace).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        if indicator.unit == Unit.PERCENTAGE:
            value = min(value, Decimal(100))
        breakdown = {}
        for dimension in indicator.dimensions.all():
            codes = {v.code: v.pk for v in dimension.values.all()}
            women = (value * Decimal("0.52")).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
            breakdown = {codes["female"]: women, codes["male"]: value - women}
        values[indicator.pk] = {"value": value, "breakdown": breakdown}
    return {"values": values, "narratives": narratives}


def _return(report: Report, reviewer) -> None:
    typed = report.values.filter(computed=False).exclude(value=None).first()
    services.report_return(
        report=report,
        returned_by=reviewer,
        comment="Please attach the attendance lists.",
        indicator_comments={typed.indicator_id: "This is more than the lists show; please check."} if typed else {},
    )


def _summary(built: int, reminders_sent: int) -> str:
    states = {status: Report.objects.filter(status=status).count() for status in ReportStatus}
    shown = ", ".join(f"{count} {ReportStatus(status).label.lower()}" for status, count in states.items())
    return f"Results: {built} framework(s) built; reports: {shown}; {reminders_sent} reminder(s) sent today."
