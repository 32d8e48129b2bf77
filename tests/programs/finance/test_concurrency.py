"""Two officers at once never over-allocate a loan, approve it twice or share a reference.

On PostgreSQL each worker runs in its own thread with its own connection, all
released together, and a pause inside the critical section makes sure they
overlap: only the row lock on the loan keeps them apart. SQLite has one writer
at a time, so there the same workers run one after the other and the same
invariants are asserted.
"""

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cooperation.roles import Role
from programs.finance import services
from programs.finance.models import Allocation, Installment, Loan, LoanStatus, Repayment, RepaymentStatus
from programs.finance.services import repayments
from tests.concurrency import run_together
from tests.factories import UserFactory
from tests.programs.finance.factories import LoanFactory, disbursed_loan, submitted_loan

D = Decimal
PAUSE = 0.3  # seconds spent inside the critical section, long enough for the other worker to arrive


@pytest.fixture
def slow_checks(monkeypatch):
    """Pause after a payment passed its checks, before it is written: a lost update would happen right here."""
    original = repayments._payment_errors

    def checked_then_paused(**kwargs):
        original(**kwargs)
        time.sleep(PAUSE)

    monkeypatch.setattr(repayments, "_payment_errors", checked_then_paused)


def assert_books_balance(loan: Loan) -> None:
    confirmed = sum(
        Repayment.objects.filter(loan=loan, status=RepaymentStatus.CONFIRMED).values_list("amount", flat=True), D(0)
    )
    allocated = sum((a.interest + a.principal for a in Allocation.objects.filter(repayment__loan=loan)), D(0))
    installments = list(Installment.objects.filter(loan=loan))
    paid = sum((i.interest_paid + i.principal_paid for i in installments), D(0))
    due = sum((i.interest_due + i.principal_due for i in installments), D(0))
    assert allocated == confirmed == paid
    assert paid <= due


@pytest.fixture
def loan(reference_data_db):
    """1000.00 at 0% in ten installments of 100.00."""
    return disbursed_loan(principal=D("1000.00"), annual_rate=D("0"), installments=10)


def record(loan_pk: int, officer, amount: str):
    def work():
        loan = Loan.objects.get(pk=loan_pk)
        return services.repayment_record(
            loan=loan, recorded_by=officer, paid_on=datetime.date(2026, 2, 15), amount=D(amount), currency=loan.currency
        )

    return work


def test_two_officers_recording_at_once_never_over_allocate(loan, slow_checks):
    first, second = UserFactory(role=Role.OFFICER), UserFactory(role=Role.OFFICER)
    results = run_together(record(loan.pk, first, "600.00"), record(loan.pk, second, "600.00"))

    saved = [r for r in results if isinstance(r, Repayment)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(saved), len(refused)) == (1, 1), results
    assert refused[0].message_dict["amount"] == ["This is more than is owed: 400.00 USD is still owed on this loan."]
    assert Repayment.objects.filter(loan=loan).count() == 1
    assert_books_balance(loan)


def test_many_small_payments_at_once_fill_the_schedule_exactly(loan, slow_checks):
    officers = [UserFactory(role=Role.OFFICER) for _ in range(4)]
    results = run_together(*(record(loan.pk, officer, "300.00") for officer in officers))

    assert sum(isinstance(r, Repayment) for r in results) == 3, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert_books_balance(loan)
    assert sum(i.outstanding for i in Installment.objects.filter(loan=loan)) == D("100.00")


def test_reversal_and_recording_at_once_keep_the_books_balanced(loan, slow_checks):
    officer = UserFactory(role=Role.OFFICER)
    wrong = services.repayment_record(
        loan=loan, recorded_by=officer, paid_on=datetime.date(2026, 2, 15), amount=D("700.00"), currency=loan.currency
    )

    def reverse():
        return services.repayment_reverse(
            repayment=Repayment.objects.get(pk=wrong.pk), reversed_by=officer, reason="Duplicate."
        )

    results = run_together(reverse, record(loan.pk, officer, "300.00"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert_books_balance(loan)
    assert sum(i.total_paid for i in Installment.objects.filter(loan=loan)) == D("300.00")


def test_two_managers_approving_at_once_generate_one_schedule(reference_data_db):
    loan = submitted_loan(installments=12)
    managers = [UserFactory(role=Role.MANAGER) for _ in range(2)]

    def approve(manager):
        return lambda: services.loan_approve(loan=Loan.objects.get(pk=loan.pk), approved_by=manager)

    results = run_together(*(approve(manager) for manager in managers))
    assert sum(isinstance(r, Loan) for r in results) == 1, results
    assert "only when it is submitted; this one is Approved" in str(next(r for r in results if not isinstance(r, Loan)))
    assert Installment.objects.filter(loan=loan).count() == 12
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED


def test_loans_drafted_at_once_get_different_references(reference_data_db):
    template = LoanFactory()
    officers = [UserFactory(role=Role.OFFICER) for _ in range(3)]
    fields = {
        "programme": template.programme,
        "borrower": template.borrower,
        "principal": D("500.00"),
        "currency": template.currency,
        "annual_rate": D("2"),
        "frequency": 12,
        "installments": 6,
        "amortization": "annuity",
        "disbursement_date": datetime.date(2026, 3, 1),
        "first_repayment_date": datetime.date(2026, 4, 1),
    }

    def draft(officer):
        return lambda: services.loan_create(created_by=officer, **fields).reference

    references = run_together(*(draft(officer) for officer in officers))
    assert all(isinstance(r, str) for r in references), references
    assert len(set(references)) == 3
