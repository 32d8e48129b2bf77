"""Budgets in the IATI file: budget lines as yearly budgets, expenditures as transactions, valid against the
IATI 2.03 schema."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree

from cooperation import registry
from cooperation.money_flows import Category
from programs.budgets.iati import parts
from programs.budgets.models import BudgetStatus, BudgetType
from tests.factories import OrganisationFactory, ProgrammeFactory, currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory
from tests.programs.iati_helpers import split, validated

pytestmark = pytest.mark.django_db


def _budgets(activity) -> list[tuple]:
    return [
        (
            budget.get("type"),
            budget.get("status"),
            budget.find("period-start").get("iso-date"),
            budget.find("period-end").get("iso-date"),
            Decimal(budget.findtext("value")),
            budget.find("value").get("currency"),
            budget.find("value").get("value-date"),
        )
        for budget in activity.findall("budget")
    ]


def test_budgets_contribute_to_the_iati_file():
    assert parts in registry.contributors(registry.IATI)


def test_lines_of_one_period_type_and_currency_are_one_budget():
    programme = ProgrammeFactory()
    year = {"period_start": datetime.date(2026, 1, 1), "period_end": datetime.date(2026, 12, 31)}
    BudgetLineFactory(programme=programme, **year, amount=Decimal("10000.00"), status=BudgetStatus.COMMITTED)
    BudgetLineFactory(programme=programme, **year, category=Category.TRAVEL, amount=Decimal("2500.50"))
    BudgetLineFactory(programme=programme, **year, amount=Decimal("700"), currency=currency("EUR"))
    BudgetLineFactory(
        programme=programme,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 6, 30),
        amount=Decimal("4000"),
        budget_type=BudgetType.REVISED,
        status=BudgetStatus.COMMITTED,
    )

    found, problems = split(parts([programme]))
    activity = validated(programme, found)

    assert problems == []
    assert _budgets(activity) == [
        ("1", "1", "2026-01-01", "2026-12-31", Decimal("700"), "EUR", "2026-01-01"),
        ("1", "1", "2026-01-01", "2026-12-31", Decimal("12500.5"), "USD", "2026-01-01"),
        ("2", "2", "2027-01-01", "2027-06-30", Decimal("4000"), "USD", "2027-01-01"),
    ]


def test_a_line_longer_than_a_year_is_a_problem_not_a_guess():
    programme = ProgrammeFactory()
    BudgetLineFactory(
        programme=programme,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2027, 1, 1),
        description="Field staff",
    )
    BudgetLineFactory(
        programme=programme, period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 12, 31)
    )

    found, problems = split(parts([programme]))

    assert [problem.programme_id for problem in problems] == [programme.pk]
    assert "Field staff" in str(problems[0].message)
    assert "a year at most" in str(problems[0].message)
    assert len(found) == 1


def test_an_expenditure_is_a_transaction_naming_the_partner_paid():
    programme = ProgrammeFactory()
    payee = OrganisationFactory(name="Bengkel Maju", iati_identifier="ID-KMH-998877")
    ExpenditureFactory(
        programme=programme,
        spent_on=datetime.date(2026, 3, 10),
        amount=Decimal("1250.75"),
        currency=currency("IDR"),
        payee="Bengkel Maju",
        payee_organisation=payee,
        reference="INV-77",
    )
    ExpenditureFactory(programme=programme, spent_on=datetime.date(2026, 3, 12), payee="Budi Santoso")

    activity = validated(programme, split(parts([programme]))[0])

    paid, private = activity.findall("transaction")
    assert paid.get("ref") == "INV-77"
    assert paid.find("transaction-type").get("code") == "4"
    assert paid.find("transaction-date").get("iso-date") == "2026-03-10"
    assert (Decimal(paid.findtext("value")), paid.find("value").get("currency")) == (Decimal("1250.75"), "IDR")
    assert paid.find("receiver-org").get("ref") == "ID-KMH-998877"
    assert paid.findtext("receiver-org/narrative") == "Bengkel Maju"
    assert private.find("receiver-org") is None
    assert private.get("ref") is None
    assert b"Budi Santoso" not in etree.tostring(activity)


def _programme_with(count: int):
    programme = ProgrammeFactory()
    payee = OrganisationFactory()
    for index in range(count):
        start = datetime.date(2020 + index, 1, 1)
        BudgetLineFactory(programme=programme, period_start=start, period_end=start.replace(month=12, day=31))
        ExpenditureFactory(programme=programme, payee_organisation=payee, payee=payee.name)
    return programme


def test_the_queries_do_not_grow_with_the_records():
    counts = []
    for programmes in ([_programme_with(2)], [_programme_with(10), _programme_with(3)]):
        with CaptureQueriesContext(connection) as queries:
            assert parts(programmes)
        counts.append(len(queries))

    assert counts == [2, 2]
