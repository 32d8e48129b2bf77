"""The dashboard's budgets section: each programme's budget against its actuals in the reporting currency, the lines
over budget, and the same queries for 3 programmes as for 15 (and for amounts on 2 days after today as on 8); the
dashboard's summary against each programme page's figures, and a large portfolio cut to the programmes most over
budget."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.date_spans import DateSpan
from cooperation.money_flows import Category, Stage
from programs.budgets import selectors
from programs.budgets.actuals import programme_budgets
from programs.budgets.models import BudgetLine
from programs.models import Programme
from programs.reporting.budgets import SHOWN
from tests.cooperation.reference.rates import rate
from tests.factories import ProgrammeFactory, currency
from tests.programs.budgets.factories import (  # noqa: F401
    BudgetLineFactory,
    ExpenditureFactory,
    budgeted_programmes,
    flow,
    flows,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 400
    rate(datetime.date(2026, 1, 1), "IDR", "USD", "0.0000625")


def _budgeted(code: str, *, spent: str, in_idr: bool = False):
    programme = ProgrammeFactory(code=code)
    line = BudgetLineFactory(
        programme=programme,
        amount=Decimal("16000000") if in_idr else Decimal("1000"),
        currency=currency("IDR" if in_idr else "USD"),
    )
    ExpenditureFactory(programme=programme, amount=Decimal(spent), currency=line.currency)
    return programme


def test_the_dashboard_shows_each_programme_and_the_lines_over_budget(client, manager, flows):
    _budgeted("KSM-A", spent="400")
    _budgeted("KSM-B", spent="24000000", in_idr=True)  # 1,500 USD against 1,000 USD
    client.force_login(manager)

    body = client.get(reverse("reporting:dashboard")).content.decode()

    assert 'id="budgets"' in body
    assert "KSM-A" in body and "KSM-B" in body
    assert "USD 2,000.00" in body  # the two budgets in the reporting currency
    assert "USD 1,900.00" in body  # spent: 400 USD and 24,000,000 IDR
    assert "1 budget line has spent more than its budget:" in body
    assert "150.0 %" in body and "40.0 %" in body


def test_the_section_costs_the_same_queries_for_3_or_15_programmes(client, manager, flows):
    client.force_login(manager)
    url = reverse("reporting:dashboard")

    def queries(count):
        for index in range(count):
            _budgeted(f"KSM-Q{count}-{index}", spent="10", in_idr=bool(index % 2))
        client.get(url)  # fixes the rates of the new dates
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(3)
    assert queries(12) == few


def _figures(figures) -> tuple:
    totals = (figures.budget_total, figures.committed_total, figures.actual_total)
    return (
        figures.currency,
        figures.budget,
        figures.committed,
        figures.actual,
        figures.over_budget,
        figures.over_committed,
        *((total.per_currency, total.reporting, total.missing, total.rate_dates) for total in totals),
    )


@pytest.fixture
def varied(flows):
    """Lines in one currency and in several, spent past their budget or not, flows without a rate, a line whose
    period starts after today, and money no line holds."""
    return budgeted_programmes(flows, count=4, prefix="V", spent_step=400, technical_idr="1600000")


@pytest.mark.parametrize(
    ("currency_code", "period"),
    [
        (None, None),
        ("IDR", None),
        (None, DateSpan(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))),
    ],
)
def test_the_dashboards_figures_are_each_programme_pages_figures(manager, varied, currency_code, period):
    ids = Programme.objects.filter(pk__in=[programme.pk for programme in varied]).values("pk")
    summary = selectors.dashboard_budgets(user=manager, programmes=ids, currency=currency_code, period=period)
    lines = list(
        BudgetLine.objects.filter(programme__in=varied)
        .filter(**({"currency_id": currency_code} if currency_code else {}))
        .filter(period.overlaps("period_start", "period_end") if period else Q())
        .select_related("currency", "programme")
        .order_by("programme_id", "period_start", "category", "pk")
    )
    full = programme_budgets(
        sorted(varied, key=lambda programme: programme.code), lines, currency=currency_code, period=period
    )

    assert [budget.programme.code for budget in summary.budgets] == [budget.programme.code for budget in full.budgets]
    for short, whole in zip(summary.budgets, full.budgets, strict=True):
        assert _figures(short.overall) == _figures(whole.overall)
        assert [_figures(line) for line in short.lines] == [_figures(line) for line in whole.lines]
        assert [(item.category, item.source, item.total.reporting) for item in short.unbudgeted] == [
            (item.category, item.source, item.total.reporting) for item in whole.unbudgeted
        ]
        assert short.periods == []
    assert _figures(summary.overall) == _figures(full.overall)
    assert [figures.line.pk for figures in summary.over_budget_lines] == [
        figures.line.pk for figures in full.over_budget_lines
    ]
    assert summary.over_budget_lines or currency_code  # the data has lines over budget to compare


def test_a_large_portfolio_shows_the_programmes_most_over_budget_and_counts_the_others(client, manager, flows):
    for index in range(SHOWN + 2):
        _budgeted(f"KSM-N{index:02}", spent="10")
    for index in range(SHOWN + 3):
        _budgeted(f"KSM-Z{index:02}", spent=str(1100 + index))  # over budget, the last one most of all
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"))

    body = response.content.decode()
    table = body[body.index('id="budgets-by-programme"') : body.index("</table>", body.index("budgets-by-programme"))]
    shown = [code for code in (f"KSM-Z{index:02}" for index in range(SHOWN + 3)) if f">{code}<" in table]
    assert shown == [f"KSM-Z{index:02}" for index in range(3, SHOWN + 3)]  # the highest burn rates
    assert "KSM-N00" not in table
    assert f"of {2 * SHOWN + 5}; the dashboard's export lists every programme." in body
    assert f"{SHOWN + 3} budget lines have spent more than their budget:" in body
    assert "and 3 more lines: the dashboard's export lists every one." in body
    assert len(response.context["budget_actuals"]["overview"].budgets) == 2 * SHOWN + 5


def test_the_totals_name_the_first_days_without_a_rate_and_count_the_others(client, manager, flows):
    programme = _budgeted("KSM-R", spent="10")
    flows.extend(
        flow(programme, Category.TECHNICAL, Stage.SPENT, datetime.date(2026, 2, day), "EUR", "5") for day in range(1, 6)
    )
    client.force_login(manager)

    body = client.get(reverse("reporting:dashboard")).content.decode()

    totals = body[body.index('id="budgets-totals"') :]
    assert "no rate for EUR on 1 February 2026" in totals and "no rate for EUR on 3 February 2026" in totals
    assert "no rate for EUR on 4 February 2026" not in totals
    assert "and 2 more dates without a rate" in totals


def test_amounts_dated_after_today_cost_no_more_queries_however_many_days_they_fall_on(flows):
    today = timezone.localdate()
    rate(today, "IDR", "USD", "0.0000625")

    def queries(days: int) -> int:
        programme = ProgrammeFactory(code=f"KSM-F{days}")
        line = BudgetLineFactory(
            programme=programme,
            category=Category.FINANCIAL,
            period_start=today,
            period_end=today + datetime.timedelta(days=30),
            amount=Decimal("1000"),
        )
        for day in range(1, days + 1):
            on = today + datetime.timedelta(days=day)
            flows.append(flow(programme, Category.FINANCIAL, Stage.COMMITTED, on, "IDR", "1600000"))
        with CaptureQueriesContext(connection) as captured:
            overview = programme_budgets([programme], [line], today)
        assert overview.budgets[0].overall.committed_total.reporting == Decimal("100.00") * days
        return len(captured)

    assert queries(2) == queries(8)
