"""The dashboard's finance section: the loan portfolio per currency and a monthly chart of repayments.

Figures come from the finance selectors, which aggregate in SQL, so the section
costs the same few queries whatever the number of loans. The chart is laid out
here as plain SVG geometry (one chart per currency: amounts in different
currencies are never drawn on one scale); the template only draws it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from cooperation.charts import ChartAnchors
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from programs.finance.selectors import (
    CurrencyMonths,
    arrears_ageing,
    concessionality,
    portfolio_summary,
    repayments_by_month,
)
from programs.reporting.scope import DashboardScope

CHART_MONTHS = 12


@dataclass(frozen=True)
class MonthColumn:
    month: datetime.date
    label: str  # the month's short name, under its bars
    full_label: str  # month and year, for the tooltip and the table alternative
    year_label: str  # the year, under the first month and every January; else empty
    expected: Decimal
    received: Decimal
    expected_display: str
    received_display: str
    label_x: float
    expected_x: float
    expected_y: float
    expected_height: float
    received_x: float
    received_y: float
    received_height: float


@dataclass(frozen=True)
class RepaymentChart(ChartAnchors):
    slug: str
    title: str
    currency: object
    columns: list[MonthColumn]
    width: int
    height: int
    bar_width: float
    baseline_y: int
    scale_display: str  # the largest amount, which the top of the plot stands for

    @property
    def has_amounts(self) -> bool:
        return any(column.expected or column.received for column in self.columns)


def _bar(value: Decimal, largest: Decimal, plot_height: int) -> float:
    if largest <= 0 or value <= 0:
        return 0.0
    # A tiny non-zero amount still shows a sliver.
    return max(round(plot_height * float(value) / float(largest), 1), 1.0)


def repayment_chart(
    series: CurrencyMonths,
    *,
    width: int = 360,
    plot_top: int = 28,
    plot_height: int = 120,
    label_space: int = 32,
) -> RepaymentChart:
    """Two bars a month, expected (installments falling due) beside received (confirmed repayments)."""
    currency = series.currency
    months = series.months
    largest = max((max(m.expected, m.received) for m in months), default=Decimal(0))
    slot = width / max(len(months), 1)
    bar_width = round(max((slot - 6) / 2, 1), 1)
    baseline = plot_top + plot_height
    columns = []
    for index, amounts in enumerate(months):
        left = index * slot + (slot - 2 * bar_width) / 2
        expected_height = _bar(amounts.expected, largest, plot_height)
        received_height = _bar(amounts.received, largest, plot_height)
        first_of_year = index == 0 or amounts.month.month == 1
        columns.append(
            MonthColumn(
                month=amounts.month,
                label=formats.date_format(amounts.month, "M"),
                full_label=formats.date_format(amounts.month, "YEAR_MONTH_FORMAT"),
                year_label=str(amounts.month.year) if first_of_year else "",
                expected=amounts.expected,
                received=amounts.received,
                expected_display=money(amounts.expected, currency),
                received_display=money(amounts.received, currency),
                label_x=round(index * slot + slot / 2, 1),
                expected_x=round(left, 1),
                expected_y=round(baseline - expected_height, 1),
                expected_height=expected_height,
                received_x=round(left + bar_width, 1),
                received_y=round(baseline - received_height, 1),
                received_height=received_height,
            )
        )
    return RepaymentChart(
        slug=f"repayments-{currency.code.lower()}",
        title=_("Repayments expected and received, %(currency)s") % {"currency": currency.code},
        currency=currency,
        columns=columns,
        width=width,
        height=baseline + label_space,
        bar_width=bar_width,
        baseline_y=baseline,
        scale_display=money(largest, currency),
    )


def finance_dashboard(*, user, today: datetime.date, scope: DashboardScope | None = None) -> dict | None:
    """The finance section's context, or None for a user who may not see loans. The scope narrows the loans to
    its programmes and currency, and what was disbursed, collected and fell due to its period."""
    if not user.has_perm(Perm.VIEW_LOAN):
        return None
    narrowing = scope.module_arguments() if scope else {}
    months = repayments_by_month(user=user, today=today, months=CHART_MONTHS, **narrowing)
    return {
        "portfolio": portfolio_summary(user=user, today=today, **narrowing),
        "ageing": arrears_ageing(user=user, today=today, **narrowing),
        "concessionality": concessionality(user=user, **narrowing),
        "charts": [repayment_chart(series) for series in months],
        "today": today,
        "period": scope.period if scope else None,
        "narrowed_to": scope.narrowed_to() if scope else "",
    }
