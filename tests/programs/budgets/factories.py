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


def fake_flows(programme_ids):
    """What a module would contribute: the flows a test put in ``FLOWS``, of the programmes asked for."""
    wanted = None if programme_ids is None else set(programme_ids)
    return [flow for flow in FLOWS if wanted is None or flow.programme_id in wanted]


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
