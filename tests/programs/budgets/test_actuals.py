"""Budget against actuals, figures computed by hand: one line per currency, flows of the modules and expenditures,
converted at the rate of each amount's own date."""

import datetime
from decimal import Decimal

import pytest

from cooperation.money_flows import Category, Stage
from programs.budgets import selectors
from tests.cooperation.reference.rates import rate
from tests.factories import currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory, flow, flows  # noqa: F401

pytestmark = pytest.mark.django_db

JAN, JUL = datetime.date(2026, 1, 1), datetime.date(2026, 7, 1)


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 400


@pytest.fixture
def programme(own_programme):
    return own_programme


@pytest.fixture
def three_currencies(programme, flows, officer):
    """USD, IDR and EUR lines; 1 USD = 16,000 IDR; 1 EUR = 1.10 USD in January, 1.20 from July."""
    rate(JAN, "IDR", "USD", "0.0000625")
    rate(JAN, "EUR", "USD", "1.10")
    rate(JUL, "EUR", "USD", "1.20")
    lines = {
        "usd": BudgetLineFactory(programme=programme, category=Category.TECHNICAL, amount=Decimal("10000")),
        "idr": BudgetLineFactory(
            programme=programme, category=Category.STAFF, amount=Decimal("50000000"), currency=currency("IDR")
        ),
        "eur": BudgetLineFactory(
            programme=programme,
            category=Category.TECHNICAL,
            period_start=JUL,
            period_end=datetime.date(2026, 12, 31),
            amount=Decimal("5000"),
            currency=currency("EUR"),
        ),
    }
    flows.extend(
        [
            flow(programme, Category.TECHNICAL, Stage.SPENT, datetime.date(2026, 3, 10), "USD", "4000"),
            flow(programme, Category.TECHNICAL, Stage.COMMITTED, datetime.date(2026, 4, 1), "USD", "1500"),
            flow(programme, Category.TECHNICAL, Stage.SPENT, datetime.date(2026, 8, 15), "EUR", "2000"),
            flow(programme, Category.CULTURAL, Stage.SPENT, datetime.date(2026, 2, 1), "USD", "700", "Exchanges"),
        ]
    )
    ExpenditureFactory(
        programme=programme,
        category=Category.STAFF,
        spent_on=datetime.date(2026, 2, 10),
        amount=Decimal("16000000"),
        currency=currency("IDR"),
    )
    ExpenditureFactory(programme=programme, category=Category.STAFF, amount=Decimal("500"))
    return lines


def _by_line(budget):
    return {figures.line.pk: figures for figures in budget.lines}


def test_a_line_in_one_currency_shows_its_figures_in_it(programme, three_currencies, officer):
    figures = _by_line(selectors.programme_budget(user=officer, programme=programme))[three_currencies["usd"].pk]

    assert (figures.budget, figures.committed, figures.actual) == (Decimal("10000"), Decimal("1500"), Decimal("4000"))
    assert figures.remaining == Decimal("6000")
    assert figures.burn_rate == Decimal("40.0")
    assert figures.actual_total.reporting == Decimal("4000.00")
    assert not figures.over_budget


def test_a_line_with_amounts_in_another_currency_is_compared_in_the_reporting_currency(
    programme, three_currencies, officer
):
    figures = _by_line(selectors.programme_budget(user=officer, programme=programme))[three_currencies["idr"].pk]

    # 50,000,000 IDR budget = 3,125 USD; spent 16,000,000 IDR (1,000 USD) and 500 USD.
    assert figures.currency is None and figures.converted
    assert figures.budget_total.reporting == Decimal("3125.00")
    assert figures.actual_total.reporting == Decimal("1500.00")
    assert figures.actual_total.per_currency == {"IDR": Decimal("16000000"), "USD": Decimal("500")}
    assert figures.remaining_reporting == Decimal("1625.00")
    assert figures.burn_rate_reporting == Decimal("48.0")


def test_each_amount_is_converted_at_the_rate_of_its_own_date(programme, three_currencies, officer):
    budget = selectors.programme_budget(user=officer, programme=programme)
    figures = _by_line(budget)[three_currencies["eur"].pk]

    assert (figures.budget, figures.actual, figures.remaining) == (Decimal("5000"), Decimal("2000"), Decimal("3000"))
    assert figures.budget_total.reporting == Decimal("6000.00")  # 1.20 from July, not January's 1.10
    assert figures.actual_total.rate_dates == [("EUR", JUL)]
    assert budget.overall.budget_total.reporting == Decimal("19125.00")
    assert budget.overall.actual_total.reporting == Decimal("7900.00")
    assert budget.overall.committed_total.reporting == Decimal("1500.00")


def test_periods_add_their_lines(programme, three_currencies, officer):
    periods = selectors.programme_budget(user=officer, programme=programme).periods

    assert [(period.period_start, period.budget_total.reporting) for period in periods] == [
        (JAN, Decimal("13125.00")),
        (JUL, Decimal("6000.00")),
    ]
    assert periods[1].currency.code == "EUR" and periods[1].actual == Decimal("2000")


def test_what_no_line_holds_is_unbudgeted(programme, three_currencies, officer):
    budget = selectors.programme_budget(user=officer, programme=programme)

    assert [(row.category, row.source, row.total.reporting) for row in budget.unbudgeted] == [
        (Category.CULTURAL, "Exchanges", Decimal("700.00"))
    ]


def test_a_line_spent_past_its_budget_is_over_budget(programme, flows, officer):
    line = BudgetLineFactory(programme=programme, amount=Decimal("1000"))
    ExpenditureFactory(programme=programme, amount=Decimal("999.99"))
    assert not selectors.programme_budget(user=officer, programme=programme).lines[0].over_budget

    ExpenditureFactory(programme=programme, amount=Decimal("0.02"), budget_line=line)
    budget = selectors.programme_budget(user=officer, programme=programme)

    assert budget.lines[0].over_budget
    assert budget.lines[0].remaining == Decimal("-0.01")
    assert budget.over_budget_lines == budget.lines


def test_an_expenditure_recorded_against_a_line_counts_there_whatever_its_date(programme, flows, officer):
    line = BudgetLineFactory(programme=programme, amount=Decimal("1000"))
    before = datetime.date(2025, 12, 1)
    ExpenditureFactory(programme=programme, amount=Decimal("300"), budget_line=line, spent_on=before)

    assert selectors.programme_budget(user=officer, programme=programme).lines[0].actual == Decimal("300")


def test_a_missing_rate_is_named_never_counted_as_zero(programme, flows, officer):
    BudgetLineFactory(programme=programme, amount=Decimal("2000"), currency=currency("GBP"), category=Category.TRAVEL)
    ExpenditureFactory(programme=programme, amount=Decimal("100"), category=Category.TRAVEL, currency=currency("GBP"))

    figures = selectors.programme_budget(user=officer, programme=programme).lines[0]

    assert figures.budget_total.missing == ["no rate for GBP on 1 January 2026"]
    assert figures.actual_total.missing == ["no rate for GBP on 10 March 2026"]
    assert figures.remaining_reporting is None and figures.burn_rate_reporting is None
    assert figures.remaining == Decimal("1900")  # in its own currency it is still known


def test_the_rate_of_an_event_is_fixed_once_a_later_closer_rate_is_entered(programme, flows, officer):
    rate(JUL, "EUR", "USD", "1.20")
    BudgetLineFactory(
        programme=programme, period_start=JUL, period_end=datetime.date(2026, 12, 31), currency=currency("EUR")
    )
    ExpenditureFactory(
        programme=programme, amount=Decimal("1000"), currency=currency("EUR"), spent_on=datetime.date(2026, 8, 15)
    )
    assert selectors.programme_budget(user=officer, programme=programme).lines[0].actual_total.reporting == Decimal(
        "1200.00"
    )

    rate(datetime.date(2026, 8, 14), "EUR", "USD", "1.30")
    figures = selectors.programme_budget(user=officer, programme=programme).lines[0]

    assert figures.actual_total.reporting == Decimal("1200.00")
    assert figures.actual_total.rate_dates == [("EUR", JUL)]
