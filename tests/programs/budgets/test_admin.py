"""The admin saves budget lines and expenditures through the services and shows their history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.budgets.models import BudgetLine
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory

pytestmark = pytest.mark.django_db


def _form(line, **changes):
    return {
        "category": line.category,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "amount": "1000",
        "currency": "USD",
        "budget_type": "1",
        "status": "1",
        "description": "",
        "reason": "",
    } | changes


def test_a_revision_in_the_admin_needs_its_reason(client, admin_user, own_programme):
    line = BudgetLineFactory(programme=own_programme, amount=Decimal("1000"))
    client.force_login(admin_user)
    url = reverse("admin:budgets_budgetline_change", args=[line.pk])

    refused = client.post(url, _form(line, amount="1200"))
    assert refused.status_code == 200 and "Give a reason." in refused.content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("1000")

    assert client.post(url, _form(line, amount="1200", reason="Price rise")).status_code == 302
    assert BudgetLine.history.filter(history_change_reason="Price rise").exists()
    history = client.get(reverse("admin:budgets_budgetline_history", args=[line.pk]))
    assert history.status_code == 200 and "USD 1,200.00" in history.content.decode()


def test_the_admin_lists_lines_and_expenditures(client, admin_user, own_programme):
    BudgetLineFactory(programme=own_programme, description="Trainers")
    ExpenditureFactory(programme=own_programme, payee="Hotel Sentosa")
    client.force_login(admin_user)

    assert "OWN-001" in client.get(reverse("admin:budgets_budgetline_changelist")).content.decode()
    assert "Hotel Sentosa" in client.get(reverse("admin:budgets_expenditure_changelist")).content.decode()
