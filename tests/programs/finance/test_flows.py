"""Finance's money flows for budgets: loans committed on their approval day and spent on their disbursement day,
grant tranches committed on their approval day and spent on their payment day, summed per programme, day and
currency."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cooperation.money_flows import Category, Stage, flows
from programs.finance import services
from programs.finance.flows import money_flows
from programs.finance.models import LoanStatus, TrancheStatus
from tests.factories import currency
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory, grant_with_tranches

pytestmark = pytest.mark.django_db


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _rows(programme_ids):
    return sorted((f.programme_id, f.stage, f.on, f.currency, f.amount) for f in money_flows(programme_ids))


def test_loans_are_committed_when_approved_and_spent_when_disbursed():
    programme = FinancialProgrammeFactory()
    approved = datetime.date(2026, 3, 2)
    for principal in ("1000.00", "2500.50"):
        LoanFactory(programme=programme, status=LoanStatus.APPROVED, approved_at=_at(approved), principal=principal)
    LoanFactory(
        programme=programme,
        status=LoanStatus.APPROVED,
        approved_at=_at(approved),
        principal=Decimal("700"),
        currency=currency("EUR"),
    )
    for status in (LoanStatus.DISBURSED, LoanStatus.REPAID):
        LoanFactory(
            programme=programme,
            status=status,
            approved_at=_at(datetime.date(2026, 1, 5)),
            disbursed_on=datetime.date(2026, 1, 15),
            principal=Decimal("4000"),
        )
    LoanFactory(programme=programme, status=LoanStatus.SUBMITTED, principal=Decimal("999"))
    LoanFactory(status=LoanStatus.APPROVED, approved_at=_at(approved))  # another programme

    assert _rows([programme.pk]) == [
        (programme.pk, Stage.COMMITTED, approved, "EUR", Decimal("700.00")),
        (programme.pk, Stage.COMMITTED, approved, "USD", Decimal("3500.50")),
        (programme.pk, Stage.SPENT, datetime.date(2026, 1, 15), "USD", Decimal("8000.00")),
    ]
    assert {flow.category for flow in money_flows([programme.pk])} == {Category.FINANCIAL}


def test_tranches_are_committed_on_their_approval_day_and_spent_on_their_payment_day(manager):
    grant = grant_with_tranches(amount=Decimal("900.00"), tranche_count=3)
    first, second, third = grant.tranches.order_by("number")
    services.tranche_approve(tranche=first, approved_by=manager)
    services.tranche_approve(tranche=second, approved_by=manager)
    services.tranche_pay(tranche=first, paid_by=manager, paid_on=datetime.date(2026, 4, 1))
    today = timezone.localdate()

    assert _rows([grant.programme_id]) == [
        (grant.programme_id, Stage.COMMITTED, today, "USD", Decimal("300.00")),
        (grant.programme_id, Stage.SPENT, datetime.date(2026, 4, 1), "USD", Decimal("300.00")),
    ]
    assert third.status == TrancheStatus.SCHEDULED


def test_the_kernel_collects_finance_flows_for_every_programme_when_asked_for_all():
    LoanFactory(status=LoanStatus.APPROVED, approved_at=_at(datetime.date(2026, 2, 1)), principal=Decimal("10"))

    assert [(flow.stage, flow.amount) for flow in flows(None) if flow.category == Category.FINANCIAL] == [
        (Stage.COMMITTED, Decimal("10.00"))
    ]
