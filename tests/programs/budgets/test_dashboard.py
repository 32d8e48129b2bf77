"""The dashboard's budgets section: each programme's budget against its actuals in the reporting currency, the lines
over budget, and the same queries for 3 programmes as for 15."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cooperation.reference.rates import rate
from tests.factories import ProgrammeFactory, currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory, flows  # noqa: F401

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
