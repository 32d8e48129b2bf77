"""The demo budgets: three currencies that all convert, a revision with its reason, a line over budget, a partner's
missing receipt; a second run changes nothing."""

from types import SimpleNamespace

import pytest
from django.utils import timezone

from cooperation.reference.models import ExchangeRate
from cooperation.risk import partner_risk_flags
from programs.budgets import demo, selectors
from programs.budgets.models import BudgetLine, Expenditure
from tests.factories import ParticipationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def test_the_demo_budgets_convert_warn_and_load_once(officer, manager, partner_org, settings):
    settings.REPORTING_CURRENCY = "USD"
    programmes = [ProgrammeFactory(code=f"DEMO-{index}") for index in range(3)]
    ParticipationFactory(programme=programmes[0], organisation=partner_org)
    run = SimpleNamespace(
        today=timezone.localdate(), log=lambda text: None, users={"officer": officer, "manager": manager}
    )

    demo.load(run=run)
    counts = (BudgetLine.objects.count(), Expenditure.objects.count(), ExchangeRate.objects.count())
    demo.load(run=run)

    assert (BudgetLine.objects.count(), Expenditure.objects.count(), ExchangeRate.objects.count()) == counts
    assert set(BudgetLine.objects.values_list("currency_id", flat=True)) == {"USD", "IDR", "EUR"}
    budgets = [selectors.programme_budget(user=officer, programme=programme) for programme in programmes]
    assert [budget.overall.budget_total.missing + budget.overall.actual_total.missing for budget in budgets] == [[]] * 3
    assert all(budget.over_budget_lines for budget in budgets)
    revised = BudgetLine.history.filter(history_change_reason="Two more field staff from July")
    assert revised.count() == 3
    assert [flag.code for flag in partner_risk_flags(partner_org)] == ["budgets.receipts_missing"]
