"""What each user reads: scoping, arrears per loan and installment, portfolio per currency, constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cooperation.roles import Role
from programs.finance import selectors, services
from programs.finance.models import LoanStatus
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import (
    LoanFactory,
    NotificationFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db
D = Decimal
date = datetime.date


def zero_rate_loan(**overrides):
    """1200.00 at 0%, twelve monthly installments of 100.00 from 15 Feb 2026."""
    values = {
        "principal": D("1200.00"),
        "annual_rate": D("0"),
        "installments": 12,
        "disbursement_date": date(2026, 1, 15),
        "first_repayment_date": date(2026, 2, 15),
    }
    values.update(overrides)
    return disbursed_loan(**values)


# --- scoping ------------------------------------------------------------------------------------------------------


def test_staff_see_every_loan_and_partners_only_their_organisations(
    officer, auditor, partner_user, partner_org, other_org
):
    own, foreign = submitted_loan(borrower=partner_org), submitted_loan(borrower=other_org)
    own_draft = LoanFactory(borrower=partner_org)
    assert set(selectors.loan_list(user=officer)) == {own, foreign, own_draft}
    assert set(selectors.loan_list(user=auditor)) == {own, foreign, own_draft}
    assert list(selectors.loan_list(user=partner_user)) == [own]  # drafts stay internal
    assert selectors.loan_get(user=partner_user, pk=own.pk) == own
    with pytest.raises(Http404):
        selectors.loan_get(user=partner_user, pk=foreign.pk)


def test_a_user_without_a_role_reads_nothing(partner_org):
    LoanFactory(borrower=partner_org)
    grant_with_tranches(recipient=partner_org)
    nobody = UserFactory()
    assert not selectors.loan_list(user=nobody).exists()
    assert not selectors.grant_list(user=nobody).exists()
    assert not selectors.repayment_list(user=nobody).exists()


def test_partners_see_repayments_and_grants_of_their_organisation_only(partner_user, partner_org, other_org):
    own_loan, foreign_loan = zero_rate_loan(borrower=partner_org), zero_rate_loan(borrower=other_org)
    own_payment = recorded_repayment(own_loan, "10.00")
    recorded_repayment(foreign_loan, "10.00")
    own_grant, foreign_grant = grant_with_tranches(recipient=partner_org), grant_with_tranches(recipient=other_org)
    assert list(selectors.repayment_list(user=partner_user)) == [own_payment]
    assert list(selectors.repayment_list(user=partner_user, loan=foreign_loan)) == []
    assert list(selectors.grant_list(user=partner_user)) == [own_grant]
    with pytest.raises(Http404):
        selectors.grant_get(user=partner_user, pk=foreign_grant.pk)
    with pytest.raises(Http404):
        selectors.tranche_get(user=partner_user, pk=foreign_grant.tranches.first().pk)
    with pytest.raises(Http404):
        selectors.repayment_get(user=partner_user, pk=foreign_loan.repayments.get().pk)


def test_notifications_are_for_the_partners_own_organisation(partner_user, partner_org, other_org, officer):
    mine = NotificationFactory(organisation=partner_org)
    NotificationFactory(organisation=other_org)
    assert list(selectors.notification_list(user=partner_user)) == [mine]
    assert not selectors.notification_list(user=officer).exists()


def test_pending_repayments_wait_for_an_officer_oldest_first(officer, partner_user, partner_org):
    loan = zero_rate_loan(borrower=partner_org)
    later = services.repayment_notify(
        loan=loan, notified_by=partner_user, paid_on=date(2026, 3, 2), amount=D("5.00"), currency=loan.currency
    )
    earlier = services.repayment_notify(
        loan=loan, notified_by=partner_user, paid_on=date(2026, 3, 1), amount=D("5.00"), currency=loan.currency
    )
    recorded_repayment(loan, "1.00")
    assert list(selectors.pending_repayments(user=officer)) == [earlier, later]


# --- arrears ------------------------------------------------------------------------------------------------------


def test_loan_list_shows_outstanding_principal_overdue_amount_and_days_past_due(officer):
    loan = zero_rate_loan()
    today = date(2026, 5, 1)  # 15 Feb, 15 Mar and 15 Apr have fallen due
    row = selectors.loan_list(user=officer, today=today).get()
    assert (row.outstanding_principal, row.overdue_amount, row.max_days_past_due) == (D("1200"), D("300"), 75)

    recorded_repayment(loan, "150.00")  # pays February and half of March
    row = selectors.loan_list(user=officer, today=today).get()
    assert (row.outstanding_principal, row.overdue_amount, row.max_days_past_due) == (D("1050"), D("150"), 47)
    assert list(selectors.loan_list(user=officer, today=today).filter(overdue_amount__gt=0)) == [loan]
    assert list(selectors.loan_list(user=officer, today=today).filter(max_days_past_due__gt=60)) == []


def test_an_installment_due_today_is_not_yet_overdue(officer):
    zero_rate_loan()
    row = selectors.loan_list(user=officer, today=date(2026, 2, 15)).get()
    assert (row.overdue_amount, row.max_days_past_due) == (D("0"), 0)
    row = selectors.loan_list(user=officer, today=date(2026, 2, 16)).get()
    assert (row.overdue_amount, row.max_days_past_due) == (D("100"), 1)


def test_loans_not_yet_disbursed_owe_nothing_and_written_off_ones_keep_their_arrears(officer, manager):
    approved_loan()
    written_off = zero_rate_loan()
    services.loan_write_off(loan=written_off, written_off_by=manager, reason="Borrower dissolved.")
    rows = {loan.status: loan for loan in selectors.loan_list(user=officer, today=date(2026, 3, 1))}
    approved = rows[LoanStatus.APPROVED]
    assert (approved.outstanding_principal, approved.overdue_amount, approved.max_days_past_due) == (0, 0, 0)
    gone = rows[LoanStatus.WRITTEN_OFF]
    assert (gone.outstanding_principal, gone.overdue_amount, gone.max_days_past_due) == (0, D("100"), 14)


def test_schedule_rows_show_paid_outstanding_and_days_past_due(officer):
    loan = zero_rate_loan()
    recorded_repayment(loan, "130.00")
    rows = list(selectors.loan_schedule(loan=loan, today=date(2026, 3, 20)))
    assert [(r.number, r.paid_amount, r.outstanding_amount, r.days_past_due) for r in rows[:4]] == [
        (1, D("100"), D("0"), 0),  # paid: no longer past due
        (2, D("30"), D("70"), 5),
        (3, D("0"), D("100"), 0),
        (4, D("0"), D("100"), 0),
    ]
    assert len(rows) == 12


def test_days_past_due_cross_month_ends_and_leap_years(officer):
    loan = zero_rate_loan(disbursement_date=date(2023, 12, 1), first_repayment_date=date(2024, 1, 31), installments=2)
    rows = list(selectors.loan_schedule(loan=loan, today=date(2024, 3, 1)))
    assert [(r.due_date, r.days_past_due) for r in rows] == [(date(2024, 1, 31), 30), (date(2024, 2, 29), 1)]


def test_nothing_is_past_due_on_a_loan_that_is_not_active(officer):
    loan = approved_loan(first_repayment_date=date(2026, 2, 15))
    rows = list(selectors.loan_schedule(loan=loan, today=date(2027, 1, 1)))
    assert {r.days_past_due for r in rows} == {0}


def test_grant_element_comes_from_the_saved_schedule_or_the_terms():
    # 0% bullet, one annual installment a year after disbursement, discounted at 5%: 4.76% (see test_schedule).
    terms = {
        "principal": D("1000.00"),
        "annual_rate": D("0"),
        "frequency": 1,
        "installments": 1,
        "amortization": "bullet",
        "disbursement_date": date(2026, 1, 1),
        "first_repayment_date": date(2027, 1, 1),
    }
    draft = LoanFactory(**terms)
    assert selectors.loan_grant_element(loan=draft) == D("4.76")
    assert selectors.loan_grant_element(loan=approved_loan(**terms)) == D("4.76")


# --- portfolio ----------------------------------------------------------------------------------------------------

TODAY = date(2026, 4, 20)


@pytest.fixture
def portfolio(partner_org):
    """USD: one loan 64 days late, one current with an early payment; EUR: one loan 100 days late."""
    late = zero_rate_loan(borrower=partner_org)
    current = zero_rate_loan(disbursement_date=date(2026, 4, 1), first_repayment_date=date(2026, 5, 15))
    recorded_repayment(current, "50.00", paid_on=date(2026, 4, 5))
    recorded_repayment(late, "25.00", paid_on=date(2026, 3, 31))  # last month: not collected this month
    services.repayment_reverse(
        repayment=late.repayments.get(), reversed_by=UserFactory(role=Role.OFFICER), reason="Bounced."
    )
    very_late = zero_rate_loan(
        principal=D("600.00"),
        currency=currency("EUR"),
        installments=6,
        disbursement_date=date(2025, 12, 1),
        first_repayment_date=date(2026, 1, 10),
    )
    LoanFactory(principal=D("99999.00"))  # a draft counts nowhere
    return late, current, very_late


def test_portfolio_summary_per_currency(manager, portfolio):
    eur, usd = selectors.portfolio_summary(user=manager, today=TODAY)  # never summed across currencies
    assert (eur.currency.code, usd.currency.code) == ("EUR", "USD")
    assert usd.outstanding_principal == D("2350.00")  # 1200 + 1150
    assert usd.disbursed == D("2400.00")
    assert usd.collected_this_month == D("50.00")
    assert usd.due_next_30_days == D("150.00")  # 15 May: 100 on the late loan, 50 left on the current one
    assert usd.overdue == D("300.00")  # 15 Feb, 15 Mar, 15 Apr on the late loan
    assert usd.active_loans == 2
    assert [str(value) for value in (usd.overdue, usd.collected_this_month)] == ["300.00", "50.00"]  # in cents
    assert (usd.at_risk_30, usd.par30) == (D("1200.00"), D("51.06"))  # 1200 / 2350
    assert (usd.at_risk_90, usd.par90) == (D("0"), D("0.00"))
    assert (eur.outstanding_principal, eur.overdue, eur.par30, eur.par90) == (
        D("600.00"),
        D("400.00"),
        D("100.00"),
        D("100.00"),
    )


def test_par_boundaries_are_more_than_30_and_more_than_90_days(manager):
    zero_rate_loan(first_repayment_date=date(2026, 2, 15))
    at_30 = selectors.portfolio_summary(user=manager, today=date(2026, 3, 17))[0]  # 30 days late
    at_31 = selectors.portfolio_summary(user=manager, today=date(2026, 3, 18))[0]
    assert (at_30.par30, at_31.par30) == (D("0.00"), D("100.00"))
    at_90 = selectors.portfolio_summary(user=manager, today=date(2026, 5, 16))[0]  # 90 days late
    at_91 = selectors.portfolio_summary(user=manager, today=date(2026, 5, 17))[0]
    assert (at_90.par90, at_91.par90) == (D("0.00"), D("100.00"))


def test_portfolio_is_scoped_to_who_asks(partner_user, portfolio):
    (only,) = selectors.portfolio_summary(user=partner_user, today=TODAY)
    assert (only.currency.code, only.outstanding_principal, only.par30) == ("USD", D("1200.00"), D("100.00"))


def test_repayments_by_month_compares_expected_with_received(manager, portfolio):
    by_currency = {row.currency.code: row for row in selectors.repayments_by_month(user=manager, today=TODAY, months=4)}
    usd = by_currency["USD"]
    assert [m.month for m in usd.months] == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    assert [(m.expected, m.received) for m in usd.months] == [
        (D("0"), D("0")),
        (D("100.00"), D("0")),
        (D("100.00"), D("0")),  # the March payment was reversed
        (D("100.00"), D("50.00")),
    ]
    assert [m.expected for m in by_currency["EUR"].months] == [D("100.00")] * 4


def test_grant_totals(officer, manager):
    grant = grant_with_tranches(created_by=officer, amount=D("1000.00"), tranche_count=3)
    first, second, third = grant.tranches.order_by("number")
    services.tranche_approve(tranche=first, approved_by=manager)
    services.tranche_pay(tranche=first, paid_by=officer, paid_on=date(2026, 3, 1))
    services.tranche_approve(tranche=second, approved_by=manager)
    services.tranche_cancel(tranche=third, cancelled_by=officer)
    row = selectors.grant_get(user=officer, pk=grant.pk)
    assert (row.paid_total, row.unpaid_total, row.scheduled_total, row.cancelled_total, row.remaining_total) == (
        D("333.34"),
        D("333.33"),
        D("0"),
        D("333.33"),
        D("333.33"),
    )
    assert [t.number for t in row.tranches.all()] == [1, 2, 3]


# --- constant query counts ----------------------------------------------------------------------------------------


def make_loans(count: int, borrower) -> None:
    for index in range(count):
        loan = zero_rate_loan(borrower=borrower, currency=currency("USD" if index % 2 else "EUR"), installments=3)
        recorded_repayment(loan, "10.00")
        grant_with_tranches(recipient=borrower, tranche_count=2)


def queries(function) -> int:
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def read_everything(user) -> list:
    """Every field a list page, the dashboard or the API shows, related names included."""
    seen = []
    for loan in selectors.loan_list(user=user, today=TODAY):
        seen += [loan.outstanding_principal, loan.overdue_amount, loan.max_days_past_due, loan.borrower.name]
        seen += [loan.currency.minor_unit, loan.programme.code]
    for summary in selectors.portfolio_summary(user=user, today=TODAY):
        seen += [summary.par30, summary.currency.code]
    for series in selectors.repayments_by_month(user=user, today=TODAY):
        seen += [series.currency.code, *(month.received for month in series.months)]
    for grant in selectors.grant_list(user=user):
        seen += [grant.remaining_total, grant.recipient.name, grant.currency.code]
    for repayment in selectors.repayment_list(user=user):
        seen += [repayment.loan.borrower.name, repayment.currency.code, repayment.recorded_by.username]
    return seen


@pytest.mark.parametrize("who", ["manager", "partner_user"])
def test_reads_cost_the_same_for_5_and_50_loans(request, who, partner_org):
    user = request.getfixturevalue(who)
    make_loans(5, partner_org)
    user = type(user).objects.get(pk=user.pk)  # a fresh user: no permission cache
    small = queries(lambda: read_everything(user))
    make_loans(45, partner_org)
    user = type(user).objects.get(pk=user.pk)
    large = queries(lambda: read_everything(user))
    assert small == large
    assert selectors.loan_list(user=user).count() == 50


def test_loan_schedule_is_one_query(officer):
    loan = zero_rate_loan(installments=60)
    assert queries(lambda: [(r.paid_amount, r.days_past_due) for r in selectors.loan_schedule(loan=loan)]) == 1


def test_another_organisations_partner_does_not_see_the_portfolio(other_partner_user, portfolio):
    assert selectors.portfolio_summary(user=other_partner_user, today=TODAY) == []
    assert selectors.repayments_by_month(user=other_partner_user, today=TODAY) == []
