"""Restructuring one active loan: the proposal, the manager's decision, and what the new schedule does."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.finance import schedule, selectors
from programs.finance.models import (
    Allocation,
    AmortizationMethod,
    Installment,
    LoanFigures,
    LoanRestructuring,
    LoanStatus,
    RestructuringStatus,
)
from programs.finance.reminders import due_installments
from programs.finance.services.guards import FinanceRefusal
from programs.finance.services.restructurings import (
    check_terms,
    comparison,
    restructuring_approve,
    restructuring_propose,
    restructuring_reject,
    restructuring_reverse,
)
from tests.factories import UserFactory
from tests.programs.finance.factories import disbursed_loan, recorded_repayment

TODAY = datetime.date(2026, 5, 20)
D = Decimal


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def loan(db, frozen):
    """1,200.00 USD at 12% a year, 12 monthly installments of 100.00 principal (interest 12.00, 11.00, ... 1.00),
    from 15 February 2026. Installments 1 and 2 paid, 3 paid 60.00 of 110.00 (its interest and 50.00 principal),
    4 (due 15 May) unpaid and overdue on 20 May."""
    loan = disbursed_loan(
        principal=D("1200.00"),
        annual_rate=D("12"),
        amortization=AmortizationMethod.EQUAL_PRINCIPAL,
        disbursement_date=datetime.date(2026, 1, 15),
        first_repayment_date=datetime.date(2026, 2, 15),
    )
    recorded_repayment(loan, "112.00", paid_on=datetime.date(2026, 2, 15))
    recorded_repayment(loan, "111.00", paid_on=datetime.date(2026, 3, 15))
    recorded_repayment(loan, "60.00", paid_on=datetime.date(2026, 4, 15))
    return loan


def terms(**changes):
    return {
        "annual_rate": D("6"),
        "installments": 10,
        "grace_periods": 2,
        "first_due_date": datetime.date(2026, 6, 15),
        "arrears": "capitalise",
        "reason": "Harvest lost to the drought.",
    } | changes


def propose(loan, **changes):
    return restructuring_propose(loan=loan, proposed_by=UserFactory(role=Role.OFFICER), **terms(**changes))


def approve(record):
    return restructuring_approve(restructuring=record, approved_by=UserFactory(role=Role.MANAGER))


def rows(loan):
    return [
        (i.number, i.due_date, i.principal_due, i.interest_due, i.balance_after, i.principal_paid, i.interest_paid)
        for i in loan.schedule.order_by("number")
    ]


NEW_ROWS = [
    (4, datetime.date(2026, 6, 15), D("0.00"), D("4.80"), D("959.00")),
    (5, datetime.date(2026, 7, 15), D("0.00"), D("4.80"), D("959.00")),
    (6, datetime.date(2026, 8, 15), D("119.88"), D("4.80"), D("839.12")),
    (7, datetime.date(2026, 9, 15), D("119.88"), D("4.20"), D("719.24")),
    (8, datetime.date(2026, 10, 15), D("119.88"), D("3.60"), D("599.36")),
    (9, datetime.date(2026, 11, 15), D("119.88"), D("3.00"), D("479.48")),
    (10, datetime.date(2026, 12, 15), D("119.88"), D("2.40"), D("359.60")),
    (11, datetime.date(2027, 1, 15), D("119.88"), D("1.80"), D("239.72")),
    (12, datetime.date(2027, 2, 15), D("119.88"), D("1.20"), D("119.84")),
    (13, datetime.date(2027, 3, 15), D("119.84"), D("0.60"), D("0.00")),
]


def test_the_preview_compares_what_is_left_before_and_after(loan):
    old, plan = check_terms(loan, terms(), as_of=TODAY)
    before, after = comparison(loan, old, plan)
    assert (before.installments, before.principal, before.interest) == (10, D("950.00"), D("45.00"))
    assert (after.installments, after.principal, after.interest) == (10, D("959.00"), D("31.20"))
    assert (before.total, after.total) == (D("995.00"), D("990.20"))
    # A lower rate than the loan's 12% raises the grant element at the loan's 5% discount rate.
    assert after.grant_element > before.grant_element
    assert plan.overdue_principal == D("150.00") and plan.overdue_interest == D("9.00")
    assert plan.capitalised == D("9.00") and plan.waived == D("0.00")


def test_approval_keeps_what_was_paid_and_replaces_the_rest(loan):
    allocations = Allocation.with_reversed.filter(repayment__loan=loan)
    allocations_before = sorted(allocations.values_list("pk", "installment__number", "interest", "principal"))
    record = approve(propose(loan))

    record.refresh_from_db()
    assert record.status == RestructuringStatus.APPROVED
    assert (record.capitalised, record.waived, record.new_principal) == (D("9.00"), D("0.00"), D("959.00"))
    assert record.first_new_number == 4 and record.effective_on == TODAY
    # Installments 1 and 2 as they were; 3 reduced to what was paid on it; 4 to 12 replaced by 4 to 13.
    assert rows(loan)[:3] == [
        (1, datetime.date(2026, 2, 15), D("100.00"), D("12.00"), D("1100.00"), D("100.00"), D("12.00")),
        (2, datetime.date(2026, 3, 15), D("100.00"), D("11.00"), D("1000.00"), D("100.00"), D("11.00")),
        (3, datetime.date(2026, 4, 15), D("50.00"), D("10.00"), D("950.00"), D("50.00"), D("10.00")),
    ]
    assert [row[:5] for row in rows(loan)[3:]] == NEW_ROWS
    assert all(row[5:] == (0, 0) for row in rows(loan)[3:])
    assert sorted(allocations.values_list("pk", "installment__number", "interest", "principal")) == allocations_before
    # The old schedule stays on the restructuring, each installment as it stood.
    assert len(record.old_schedule) == 12
    assert record.old_schedule[3] == {
        "number": 4,
        "due_date": "2026-05-15",
        "principal_due": "100.0000",
        "interest_due": "9.0000",
        "balance_after": "800.0000",
        "principal_paid": "0.0000",
        "interest_paid": "0.0000",
        "kept": False,
    }
    assert [row["kept"] for row in record.old_schedule[:4]] == [True, True, True, False]


def test_the_schedule_history_names_the_approver(loan):
    manager = UserFactory(role=Role.MANAGER)
    restructuring_approve(restructuring=propose(loan), approved_by=manager)
    history = Installment.history.filter(loan_id=loan.pk, history_user=manager)
    assert sorted(history.filter(history_type="-").values_list("number", flat=True)) == list(range(4, 13))
    assert sorted(history.filter(history_type="+").values_list("number", flat=True)) == list(range(4, 14))
    assert list(history.filter(history_type="~").values_list("number", "principal_due")) == [(3, D("50.00"))]


def test_the_principal_is_conserved(loan):
    approve(propose(loan))
    principal = sum(item.principal_due for item in loan.schedule.all())
    paid = sum(item.principal_paid for item in loan.schedule.all())
    new = sum(item.principal_due for item in loan.schedule.filter(number__gte=4))
    assert paid + new == loan.principal + D("9.00")
    assert principal == D("1209.00")


def test_waived_interest_is_recorded_and_not_owed(loan):
    record = approve(propose(loan, arrears="waive", grace_periods=0, installments=5))
    assert (record.capitalised, record.waived, record.new_principal) == (D("0.00"), D("9.00"), D("950.00"))
    new = loan.schedule.filter(number__gte=4).order_by("number")
    assert [i.principal_due for i in new] == [D("190.00")] * 5
    assert [i.interest_due for i in new] == [D("4.75"), D("3.80"), D("2.85"), D("1.90"), D("0.95")]


def test_figures_ageing_and_reminders_read_the_new_schedule(loan):
    figures = LoanFigures.objects.get(loan=loan)
    assert figures.oldest_unpaid_due_date == datetime.date(2026, 4, 15)
    approve(propose(loan))
    figures.refresh_from_db()
    assert figures.principal_outstanding == D("959.00")
    assert figures.oldest_unpaid_due_date == datetime.date(2026, 6, 15)
    officer = UserFactory(role=Role.OFFICER)
    shown = selectors.loan_get(user=officer, pk=loan.pk)
    assert shown.overdue_amount == 0 and shown.outstanding_principal == D("959.00")
    assert selectors.arrears_ageing(user=officer, today=TODAY) == []
    # Nothing is overdue any more; the next reminder is that of the first new installment.
    assert not [i for i in due_installments(TODAY) if i.loan_id == loan.pk]
    upcoming = due_installments(datetime.date(2026, 6, 1))
    assert [(i.loan_id, i.number) for i in upcoming] == [(loan.pk, 4)]


def test_repayments_after_approval_pay_the_new_installments(loan):
    approve(propose(loan))
    recorded_repayment(loan, "4.80", paid_on=TODAY)
    assert loan.schedule.get(number=4).interest_paid == D("4.80")


def test_the_proposer_cannot_approve(loan):
    manager = UserFactory(role=Role.MANAGER)
    record = restructuring_propose(loan=loan, proposed_by=manager, **terms())
    with pytest.raises(ValidationError) as refused:
        restructuring_approve(restructuring=record, approved_by=manager)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}
    assert loan.schedule.count() == 12


def test_an_officer_cannot_approve(loan):
    record = propose(loan)
    with pytest.raises(PermissionDenied):
        restructuring_approve(restructuring=record, approved_by=UserFactory(role=Role.OFFICER))
    assert loan.schedule.count() == 12


def test_bad_terms_are_refused_next_to_their_field(loan):
    with pytest.raises(ValidationError) as refused:
        propose(loan, grace_periods=10, first_due_date=datetime.date(2026, 5, 1), annual_rate="x")
    assert set(refused.value.message_dict) == {"grace_periods", "first_due_date", "annual_rate"}
    assert not LoanRestructuring.objects.exists()


def test_one_proposal_at_a_time_and_only_on_an_active_loan(loan):
    propose(loan)
    with pytest.raises(ValidationError) as refused:
        propose(loan)
    assert refusal_codes(refused.value) == {FinanceRefusal.RESTRUCTURING_PENDING}
    draft = disbursed_loan()
    draft.status = LoanStatus.WRITTEN_OFF
    draft.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        propose(draft)
    assert refusal_codes(refused.value) == {FinanceRefusal.LOAN_NOT_DISBURSED}


def test_rejection_needs_a_reason_and_changes_nothing(loan):
    record = propose(loan)
    manager = UserFactory(role=Role.MANAGER)
    with pytest.raises(ValidationError):
        restructuring_reject(restructuring=record, rejected_by=manager, reason=" ")
    restructuring_reject(restructuring=record, rejected_by=manager, reason="Ask for a shorter term.")
    record.refresh_from_db()
    assert record.status == RestructuringStatus.REJECTED and record.decision_note == "Ask for a shorter term."
    assert loan.schedule.count() == 12
    assert record.history.count() == 2  # proposed, then rejected


def test_reversal_restores_the_old_schedule(loan):
    before = rows(loan)
    record = approve(propose(loan))
    restructuring_reverse(restructuring=record, reversed_by=UserFactory(role=Role.MANAGER), reason="Entered twice.")
    assert rows(loan) == before
    assert LoanFigures.objects.get(loan=loan).principal_outstanding == D("950.00")
    record.refresh_from_db()
    assert record.status == RestructuringStatus.REVERSED


def test_reversal_is_refused_once_the_new_installments_were_paid(loan):
    record = approve(propose(loan))
    recorded_repayment(loan, "4.80", paid_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        restructuring_reverse(restructuring=record, reversed_by=UserFactory(role=Role.MANAGER), reason="Undo.")
    assert refusal_codes(refused.value) == {FinanceRefusal.NEW_SCHEDULE_PAID}
    assert loan.schedule.filter(number=13).exists()


def test_the_grant_elements_are_those_of_the_whole_schedules(loan):
    old, plan = check_terms(loan, terms(), as_of=TODAY)
    before, after = comparison(loan, old, plan)
    old_rows = schedule.build(
        schedule.Terms(
            principal=D("1200.00"),
            minor_unit=2,
            annual_rate_percent=D("12"),
            periods_per_year=12,
            installments=12,
            amortization=schedule.Amortization.EQUAL_PRINCIPAL,
            grace_periods=0,
            first_due=datetime.date(2026, 2, 15),
        )
    )
    assert before.grant_element == schedule.grant_element(old_rows, D("1200.00"), datetime.date(2026, 1, 15), D("5"))


def test_the_new_schedule_counts_interest_by_the_loans_day_count(db, frozen):
    """1,200.00 at 12% on Actual/365, nothing repaid: on 20 May the four installments due 15 February to 15 May
    are overdue with their interest of 12.23 (31 days on 1,200.00), 10.13 (28 days on 1,100.00), 10.19 (31 days
    on 1,000.00) and 8.88 (30 days on 900.00), 41.43 in all, capitalised onto the 1,200.00 still owed."""
    loan = disbursed_loan(
        principal=D("1200.00"),
        annual_rate=D("12"),
        amortization=AmortizationMethod.EQUAL_PRINCIPAL,
        disbursement_date=datetime.date(2026, 1, 15),
        first_repayment_date=datetime.date(2026, 2, 15),
        day_count=schedule.DayCount.ACTUAL_365,
    )
    record = approve(propose(loan))
    record.refresh_from_db()
    assert (record.capitalised, record.new_principal) == (D("41.43"), D("1241.43"))
    new = loan.schedule.order_by("number")
    # The first new interest runs from 15 May, the last day the old schedule charged interest up to, to 15 June:
    # 1,241.43 × 6% × 31/365 = 6.33 (one whole month at the periodic rate would have charged 6.21); then
    # 30 days to 15 July, 6.12.
    assert [(i.number, i.due_date, i.interest_due) for i in new[:2]] == [
        (1, datetime.date(2026, 6, 15), D("6.33")),
        (2, datetime.date(2026, 7, 15), D("6.12")),
    ]
