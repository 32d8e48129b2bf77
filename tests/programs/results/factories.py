"""A small results framework to test against: a programme with quarterly periods, an outcome served by an
output, and indicators the partner reports."""

import datetime
from dataclasses import dataclass

from programs.results import services
from programs.results.models import Dimension, Indicator, Period, Result, ResultLevel, Unit

TODAY = datetime.date(2026, 7, 15)


@dataclass
class Framework:
    programme: object
    outcome: Result
    output: Result
    trained: Indicator  # people trained, by sex, cumulative
    rate: Indicator  # percentage of households with safe water, not cumulative
    periods: list[Period]


def build_framework(programme, partner_org, officer, *, today=TODAY) -> Framework:
    """2026–2027 in quarters; 'people trained' (number, by sex, 100 a quarter) and 'households with safe water'
    (percentage, baseline 40, target 80), both reported by ``partner_org``."""
    services.plan_set(programme=programme, set_by=officer, frequency=3, due_after_days=30)
    periods = services.periods_sync(programme, today=today)
    outcome = services.result_create(
        programme=programme, created_by=officer, level=ResultLevel.OUTCOME, title="Households use safe water"
    )
    output = services.result_create(
        programme=programme,
        created_by=officer,
        level=ResultLevel.OUTPUT,
        title="Water committees trained",
        parent=outcome,
    )
    trained = services.indicator_create(
        result=output,
        created_by=officer,
        title="People trained",
        unit=Unit.NUMBER,
        target_value=800,
        reporter=partner_org,
        dimensions=[Dimension.objects.get(code="sex")],
    )
    services.targets_set(indicator=trained, targets=dict.fromkeys(periods, 100), set_by=officer)
    rate = services.indicator_create(
        result=outcome,
        created_by=officer,
        title="Households with safe water",
        unit=Unit.PERCENTAGE,
        cumulative=False,
        baseline_value="40",
        target_value="80",
        reporter=partner_org,
    )
    return Framework(programme, outcome, output, trained, rate, periods)


def sex_values() -> dict[str, int]:
    return {value.code: value.pk for value in Dimension.objects.get(code="sex").values.all()}
