"""Budget lines and expenditures for the tests, and a money-flow provider the tests fill themselves."""

import datetime
from decimal import Decimal

import factory
import pytest

from cooperation import registry
from cooperation.money_flows import Category, Flow, Stage
from cooperation.roles import Role
from programs.budgets.models import BudgetLine, Expenditure
from tests.factories import ProgrammeFactory, UserFactory, currency

FAKE_PROVIDER = "tests.programs.budgets.factories.fake_flows"
FLOWS: list[Flow] = []


def fake_flows(programme_ids, *, currency=None, span=None):
    """What a module would contribute: the flows a test put in ``FLOWS``, of the programmes, currency and span asked
    for."""
    wanted = None if programme_ids is None else set(programme_ids)
    return [
        flow
        for flow in FLOWS
        if (wanted is None or flow.programme_id in wanted)
        and (currency is None or flow.currency == currency)
        and (span is None or flow.on in span)
    ]


@pytest.fixture
def flows(monkeypatch):
    """Register the fake provider for one test (and only it: the modules' own providers are left out), and
    return the list the test appends its flows to."""
    monkeypatch.setitem(registry._contributors, registry.MONEY_FLOWS, [FAKE_PROVIDER])
    FLOWS.clear()
    yield FLOWS
    FLOWS.clear()


def flow(programme, category, stage, on, code, amount, source="Loans disbursed") -> Flow:
    return Flow(programme.pk, Category(category), Stage(stage), on, code, Decimal(amount), source)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    programme = factory.SubFactory(ProgrammeFactory)
    category = Category.TECHNICAL
    period_start = datetime.date(2026, 1, 1)
    period_end = datetime.date(2026, 6, 30)
    amount = Decimal("10000.00")
    currency = factory.LazyFunction(lambda: currency("USD"))
    created_by = factory.LazyFunction(lambda: UserFactory(username="officer", role=Role.OFFICER))


class ExpenditureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expenditure

    programme = factory.SubFactory(ProgrammeFactory)
    spent_on = datetime.date(2026, 3, 10)
    amount = Decimal("100.00")
    currency = factory.LazyFunction(lambda: currency("USD"))
    category = Category.TECHNICAL
    payee = "Hotel Nusa Indah"
    reference = factory.Sequence(lambda n: f"INV-{n:04d}")
    recorded_by = factory.LazyFunction(lambda: UserFactory(username="officer", role=Role.OFFICER))


def budgeted_programmes(flows, *, count: int, prefix: str, spent_step: int, technical_idr: str) -> list:
    """``count`` programmes coded ``KSM-<prefix><n>`` with lines in one currency and in several, spent past their
    budget or not (``spent_step`` more against the dollar line each), flows without a rate, a line whose period
    starts after today, and money no line holds."""
    programmes = []
    for index in range(count):
        programme = ProgrammeFactory(code=f"KSM-{prefix}{index}")
        usd = BudgetLineFactory(programme=programme, amount=Decimal("1000"))
        BudgetLineFactory(
            programme=programme,
            category=Category.STAFF,
            amount=Decimal("16000000"),
            currency=currency("IDR"),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )
        BudgetLineFactory(
            programme=programme,
            category=Category.TRAVEL,
            amount=Decimal("500"),
            period_start=datetime.date(2030, 1, 1),
            period_end=datetime.date(2030, 12, 31),
        )
        ExpenditureFactory(programme=programme, amount=Decimal(str(spent_step * index + 1)), budget_line=usd)
        flows.extend(
            [
                flow(programme, Category.TECHNICAL, Stage.COMMITTED, datetime.date(2026, 2, 1), "USD", "300"),
                flow(programme, Category.TECHNICAL, Stage.SPENT, datetime.date(2026, 4, 1), "IDR", technical_idr),
                flow(programme, Category.STAFF, Stage.SPENT, datetime.date(2026, 3, 3), "IDR", str(9000000 * index)),
                flow(programme, Category.STAFF, Stage.SPENT, datetime.date(2026, 5, 5), "EUR", "12.5"),
                flow(programme, Category.CULTURAL, Stage.SPENT, datetime.date(2026, 2, 1), "USD", "70", "Exchanges"),
            ]
        )
        programmes.append(programme)
    return programmes
