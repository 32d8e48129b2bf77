"""The loan summaries the dashboard reads: kept current by the services, equal to a recomputation from scratch, and
giving staff the same portfolio figures as adding up the schedules does."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation.date_spans import DateSpan
from cooperation.roles import Role
from programs.finance import selectors, services
from programs.finance.models import Installment, LoanFigures, LoanTotals, MonthFigures
from programs.finance.selectors.portfolio import split_into_months
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    approved_loan,
    disbursed_loan,
    recorded_repayment,
)


def kept():
    """The summaries as plain values, leaving out rows that count nothing."""
    loans = {row.loan_id: (row.principal_outstanding, row.oldest_unpaid_due_date) for row in LoanFigures.objects.all()}
    months = {
        (row.programme_id, row.currency_id, row.month): (
            row.expected,
            row.due_installments,
            row.received,
            row.repayments,
            row.arrears,
            row.arrears_installments,
            row.late_loans,
            row.late_principal,
        )
        for row in MonthFigures.objects.all()
        if row.due_installments or row.repayments or row.arrears_installments or row.late_loans
    }
    totals = {
        (row.programme_id, row.currency_id, row.status, row.dac): (
            row.loans,
            row.principal,
            row.disbursed,
            row.principal_outstanding,
        )
        for row in LoanTotals.objects.filter(loans__gt=0)
    }
    return loans, months, totals


def loan(borrower, programme, **terms):
    values = {
        "borrower": borrower,
        "programme": programme,
        "principal": D("1200.00"),
        "annual_rate": D("6"),
        "installments": 12,
        "disbursement_date": date(2025, 11, 3),
        "first_repayment_date": date(2025, 12, 10),
    }
    return disbursed_loan(**(values | terms))


@pytest.fixture
def book(partner_org, partner_user):
    """A portfolio walked through the real services; the partner organisation borrows every loan, so its user sees
    the same loans as staff, added up from the schedules."""
    officer = UserFactory(role=Role.OFFICER)
    water, farms = FinancialProgrammeFactory(), FinancialProgrammeFactory()
    late = loan(partner_org, water)
    recorded_repayment(late, "210.55", paid_on=date(2026, 1, 20), recorded_by=officer)
    current = loan(partner_org, water, first_repayment_date=date(2026, 2, 28), disbursement_date=date(2026, 1, 31))
    recorded_repayment(current, "101.00", paid_on=date(2026, 3, 1), recorded_by=officer)
    recorded_repayment(current, "99.99", paid_on=date(2026, 4, 30), recorded_by=officer)
    mistaken = recorded_repayment(current, "250.00", paid_on=date(2026, 4, 2), recorded_by=officer)
    services.repayment_reverse(repayment=mistaken, reversed_by=officer, reason="Bounced.")
    notified = services.repayment_notify(
        loan=current, notified_by=partner_user, paid_on=date(2026, 4, 15), amount=D("40.00"), currency=current.currency
    )
    services.repayment_confirm(repayment=notified, confirmed_by=officer)
    euros = loan(
        partner_org, farms, currency=currency("EUR"), principal=D("600.00"), installments=6, frequency=4, annual_rate=0
    )
    written_off = loan(partner_org, farms, disbursement_date=date(2025, 6, 2), first_repayment_date=date(2025, 7, 1))
    services.loan_write_off(loan=written_off, written_off_by=UserFactory(role=Role.MANAGER), reason="Bankrupt.")
    repaid = loan(partner_org, farms, principal=D("300.00"), installments=3)
    recorded_repayment(repaid, str(sum(item.outstanding for item in repaid.schedule.all())), paid_on=date(2026, 2, 2))
    approved_loan(borrower=partner_org, programme=water)  # a schedule, but nothing disbursed yet
    return {"late": late, "current": current, "euros": euros, "water": water, "farms": farms}


def test_the_kept_figures_equal_a_recomputation_from_scratch(book):
    kept_by_services = kept()
    assert all(kept_by_services)

    call_command("refresh_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert kept() == kept_by_services


def test_refresh_summaries_repairs_figures_after_a_write_around_the_services(book):
    before = kept()
    installment = book["late"].schedule.get(number=3)
    Installment.objects.filter(pk=installment.pk).update(principal_paid=installment.principal_due)  # by hand

    call_command("refresh_summaries", stdout=open("/dev/null", "w"))  # noqa: SIM115

    loans, months, _totals = kept()
    assert loans[book["late"].pk][0] == before[0][book["late"].pk][0] - installment.principal_due
    assert months != before[1]


DAYS = [date(2026, 4, 20), date(2026, 4, 30), date(2026, 5, 1), date(2026, 1, 10), date(2027, 3, 31)]
PERIODS = [
    None,
    DateSpan(date(2026, 1, 1), date(2026, 3, 31)),
    DateSpan(date(2025, 12, 15), date(2026, 4, 14)),
    DateSpan(date(2026, 2, 3), date(2026, 2, 20)),
    DateSpan(date(2026, 1, 20), date(2026, 2, 10)),
    DateSpan(None, date(2026, 3, 15)),
    DateSpan(date(2026, 3, 2), None),
]


@pytest.mark.parametrize("today", DAYS)
def test_staff_see_the_figures_the_schedules_add_up_to(book, manager, partner_user, today):
    narrowings = [{}, {"currency": "USD"}, {"currency": "EUR"}, {"programmes": [book["water"].pk]}]
    for period in PERIODS:
        for narrowing in narrowings:
            arguments = {"today": today, "period": period, **narrowing}
            from_summaries = selectors.portfolio_summary(user=manager, **arguments)
            from_schedules = selectors.portfolio_summary(user=partner_user, **arguments)
            assert from_summaries == from_schedules, arguments
            chart = selectors.repayments_by_month(user=manager, **arguments)
            assert chart == selectors.repayments_by_month(user=partner_user, **arguments), arguments
            ageing = selectors.arrears_ageing(user=manager, **arguments)
            assert ageing == selectors.arrears_ageing(user=partner_user, **arguments), arguments
            dac = selectors.concessionality(user=manager, **arguments)
            assert dac == selectors.concessionality(user=partner_user, **arguments), arguments


def test_the_figures_cost_the_same_queries_however_many_loans(partner_org, manager):
    water = FinancialProgrammeFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.portfolio_summary(user=manager, today=date(2026, 4, 20))
            selectors.portfolio_summary(user=manager, today=date(2026, 4, 20), period=DateSpan(date(2026, 1, 5), None))
            selectors.repayments_by_month(user=manager, today=date(2026, 4, 20))
        return len(captured)

    loan(partner_org, water)
    queries()  # the manager's permissions are read once, then cached on the user
    few = queries()
    for number in range(3):
        recorded_repayment(loan(partner_org, water, installments=6 + number), "55.00", paid_on=date(2026, 1, 5))
    assert queries() == few


def test_a_span_splits_into_whole_months_and_the_days_at_its_ends():
    assert split_into_months(DateSpan(date(2026, 1, 1), date(2026, 3, 31))) == (
        DateSpan(date(2026, 1, 1), date(2026, 3, 1)),
        [],
    )
    assert split_into_months(DateSpan(date(2026, 1, 15), date(2026, 3, 10))) == (
        DateSpan(date(2026, 2, 1), date(2026, 2, 1)),
        [DateSpan(date(2026, 1, 15), date(2026, 1, 31)), DateSpan(date(2026, 3, 1), date(2026, 3, 10))],
    )
    within_a_month = DateSpan(date(2026, 4, 1), date(2026, 4, 20))
    assert split_into_months(within_a_month) == (None, [within_a_month])
    assert split_into_months(DateSpan(None, date(2026, 2, 27))) == (
        DateSpan(None, date(2026, 1, 1)),
        [DateSpan(date(2026, 2, 1), date(2026, 2, 27))],
    )
    assert split_into_months(DateSpan(date(2024, 2, 29), None)) == (
        DateSpan(date(2024, 3, 1), None),
        [DateSpan(date(2024, 2, 29), date(2024, 2, 29))],
    )
