"""What finance lists under "waiting for me": only what the user may act on now, by the same guards as the record
pages (an officer approves nothing, a manager never approves their own loan or grant), with totals from SQL that
agree with the guards."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.inbox import waiting_for
from cooperation.roles import Role
from programs.finance import services
from programs.finance.inbox import installments_to_pay, loans_to_approve, tranches_to_approve
from programs.finance.inbox import waiting_for as finance
from programs.finance.models import Loan, LoanStatus, Repayment, Tranche, TrancheStatus
from tests.factories import UserFactory
from tests.programs.finance.factories import LoanFactory, RepaymentFactory, TrancheFactory
from tests.programs.finance.hub_data import days_ago, late_loan

pytestmark = pytest.mark.django_db


def _groups(user) -> dict:
    return {group.key: group for group in finance(user)}


@pytest.fixture
def other_manager(db):
    return UserFactory(username="manager2", role=Role.MANAGER)


def test_a_manager_sees_the_loans_others_submitted_and_not_their_own(manager, other_manager, officer):
    theirs = LoanFactory(status=LoanStatus.SUBMITTED, created_by=officer, reference="LN-2026-0100")
    own = LoanFactory(status=LoanStatus.SUBMITTED, created_by=manager, reference="LN-2026-0101")
    LoanFactory(status=LoanStatus.DRAFT, created_by=officer)

    group = loans_to_approve(manager)

    assert group.total == 1 and [item.title.split(" · ")[0] for item in group.items] == [theirs.reference]
    assert group.items[0].url == reverse("finance:loan_detail", args=[theirs.pk])
    assert {item.title.split(" · ")[0] for item in loans_to_approve(other_manager).items} == {
        theirs.reference,
        own.reference,
    }
    assert loans_to_approve(officer).total == 0  # an officer prepares loans; a manager approves them


def test_every_loan_listed_is_one_the_guard_lets_the_manager_approve(manager, officer):
    for index in range(6):
        LoanFactory(status=LoanStatus.SUBMITTED, created_by=manager if index % 2 else officer)
    LoanFactory(status=LoanStatus.APPROVED, created_by=officer)

    group = loans_to_approve(manager)

    allowed = [loan for loan in Loan.objects.all() if services.loan_move_refusal(loan, manager, "approve") is None]
    assert group.total == len(allowed) == len(group.items) == 3


def test_notified_repayments_wait_for_who_records_repayments(officer, manager, auditor, partner_user):
    pending = RepaymentFactory()
    RepaymentFactory(status="confirmed")

    for user in (officer, manager):
        (item,) = _groups(user)["finance.repayments_notified"].items
        assert item.url == reverse("finance:loan_detail", args=[pending.loan_id]) + "#repayments"
    assert all(
        services.repayment_move_refusal(repayment, officer, "confirm") is None
        for repayment in Repayment.objects.filter(status="pending")
    )
    assert _groups(auditor)["finance.repayments_notified"].total == 0
    assert _groups(partner_user)["finance.repayments_notified"].total == 0


def test_tranches_wait_for_a_manager_who_did_not_create_the_grant(manager, other_manager, officer):
    mine = TrancheFactory(grant__created_by=manager, number=1)
    theirs = TrancheFactory(grant__created_by=officer, number=1, planned_on=datetime.date(2026, 5, 1))
    TrancheFactory(grant=theirs.grant, number=2, status=TrancheStatus.APPROVED)

    group = tranches_to_approve(manager)

    assert group.total == 1 and group.items[0].url == (
        reverse("finance:grant_detail", args=[theirs.grant_id]) + "#tranches"
    )
    assert tranches_to_approve(other_manager).total == 2
    assert tranches_to_approve(officer).total == 0
    allowed = [t for t in Tranche.objects.all() if services.tranche_move_refusal(t, manager, "approve") is None]
    assert allowed == [theirs] and mine not in allowed


def test_a_partner_user_sees_installments_overdue_or_due_within_30_days(partner_user, partner_org, other_org):
    loan = late_loan(days_late=10, borrower=partner_org)
    loan.schedule.filter(number=2).update(due_date=days_ago(-20), principal_due=Decimal("500.00"))
    late_loan(days_late=10, borrower=other_org)

    group = installments_to_pay(partner_user)

    assert group.total == 2
    assert [item.detail for item in group.items] == ["USD 1,060.00 overdue", "USD 500.00 due"]
    assert group.items[0].url == reverse("finance_portal:loan", args=[loan.pk]) + "#notify"


def test_staff_get_no_installments_to_pay_and_the_kernel_counts_what_waits(officer, manager, partner_user):
    late_loan(days_late=10, created_by=officer)
    LoanFactory(status=LoanStatus.SUBMITTED, created_by=officer)

    assert installments_to_pay(manager).total == 0
    assert "finance.loan_approvals" in [group.key for group in waiting_for(manager)]
    assert "finance.loan_approvals" not in [group.key for group in waiting_for(officer)]
