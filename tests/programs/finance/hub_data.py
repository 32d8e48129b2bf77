"""Loans and grants with known figures, for the hub, risk, inbox and money-flow tests."""

import datetime
from decimal import Decimal

from django.utils import timezone

from programs.finance import summaries
from programs.finance.models import LoanStatus, TrancheStatus
from tests.factories import currency
from tests.programs.finance.factories import GrantFactory, InstallmentFactory, LoanFactory, TrancheFactory


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def late_loan(*, days_late: int, principal="12000.00", code="USD", **fields):
    """A disbursed loan whose first installment (1,000 principal and 60 interest) is ``days_late`` days past due
    and whose second (the rest of the principal) falls due in a year."""
    start = days_ago(days_late + 30)
    loan = LoanFactory(
        status=LoanStatus.DISBURSED,
        principal=Decimal(principal),
        currency=currency(code),
        disbursement_date=start,
        first_repayment_date=days_ago(days_late),
        disbursed_on=start,
        **fields,
    )
    InstallmentFactory(loan=loan, number=1, due_date=days_ago(days_late))
    InstallmentFactory(
        loan=loan,
        number=2,
        due_date=days_ago(-365),
        principal_due=Decimal(principal) - Decimal("1000.00"),
        interest_due=Decimal("0"),
    )
    summaries.rebuild()  # the schedule was written around the services, which keep the loan's figures
    return loan


def grant_in_three_tranches(**fields):
    """A 30,000 grant: one tranche paid, one approved, one scheduled (10,000 each)."""
    grant = GrantFactory(**fields)
    TrancheFactory(grant=grant, number=1, status=TrancheStatus.PAID, paid_on=days_ago(10))
    TrancheFactory(grant=grant, number=2, status=TrancheStatus.APPROVED)
    TrancheFactory(grant=grant, number=3, status=TrancheStatus.SCHEDULED)
    return grant
