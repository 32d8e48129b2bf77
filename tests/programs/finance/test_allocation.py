"""Repayments are applied oldest installment first, interest before principal, and never lose a cent."""

import datetime
from decimal import Decimal

import pytest

from programs.finance import allocation, services
from programs.finance.allocation import Due, Overpayment, Portion, allocate, reallocate, split_evenly
from programs.finance.models import Allocation, LoanStatus, RepaymentStatus
from tests.programs.finance.factories import disbursed_loan, recorded_repayment

D = Decimal
date = datetime.date


# --- the arithmetic -----------------------------------------------------------------------------------------------

SCHEDULE = [Due(1, D("10.00"), D("330.02")), Due(2, D("6.70"), D("333.32")), Due(3, D("3.37"), D("336.66"))]


def test_interest_is_paid_before_principal_within_an_installment():
    assert allocate(D("25.00"), SCHEDULE) == [Portion(1, D("10.00"), D("15.00"))]


def test_a_partial_payment_covers_only_part_of_the_interest():
    assert allocate(D("4.00"), SCHEDULE) == [Portion(1, D("4.00"), D("0"))]


def test_payment_ahead_of_schedule_reaches_the_next_installments_oldest_first():
    # 600.00 − 340.02 (all of the first) − 6.70 (interest of the second) leaves 253.28 of its principal.
    assert allocate(D("600.00"), SCHEDULE) == [
        Portion(1, D("10.00"), D("330.02")),
        Portion(2, D("6.70"), D("253.28")),
    ]
    # 700.00 pays the first two in full and reaches the third: 3.37 interest, 16.59 principal.
    assert allocate(D("700.00"), SCHEDULE)[2] == Portion(3, D("3.37"), D("16.59"))


def test_installments_already_paid_are_skipped():
    dues = [Due(1, D("0"), D("0")), Due(2, D("0"), D("5.00")), Due(3, D("1.00"), D("9.00"))]
    assert allocate(D("7.00"), dues) == [Portion(2, D("0"), D("5.00")), Portion(3, D("1.00"), D("1.00"))]


def test_exact_payoff_and_overpayment_by_one_cent():
    assert sum(p.total for p in allocate(D("1020.07"), SCHEDULE)) == D("1020.07")
    with pytest.raises(Overpayment) as refused:
        allocate(D("1020.08"), SCHEDULE)
    assert refused.value.owed == D("1020.07")


@pytest.mark.parametrize("amount", [D("0"), D("-1")])
def test_non_positive_payments_are_refused(amount):
    with pytest.raises(ValueError):
        allocate(amount, SCHEDULE)


def test_reallocation_applies_payments_in_the_order_given():
    plan = reallocate([("a", D("5.00")), ("b", D("400.00"))], SCHEDULE)
    assert plan == {
        "a": [Portion(1, D("5.00"), D("0"))],
        "b": [Portion(1, D("5.00"), D("330.02")), Portion(2, D("6.70"), D("58.28"))],
    }


def test_split_evenly_gives_leftover_units_to_the_first_parts():
    assert split_evenly(D("1000.00"), 3, 2) == [D("333.34"), D("333.33"), D("333.33")]
    assert split_evenly(D("100"), 7, 0) == [D("15"), D("15"), D("14"), D("14"), D("14"), D("14"), D("14")]
    assert split_evenly(D("0.050"), 1, 3) == [D("0.050")]


# --- on a real loan -----------------------------------------------------------------------------------------------


@pytest.fixture
def loan(db):
    """1000.00 at 12% over 3 months (annuity): 340.02, 340.02, 340.03 — see test_schedule."""
    return disbursed_loan(principal=D("1000.00"), annual_rate=D("12"), installments=3)


def paid_state(loan) -> list[tuple]:
    return [(i.number, i.interest_paid, i.principal_paid) for i in loan.schedule.order_by("number")]


def allocations_of(repayment) -> list[tuple]:
    return [
        (a.installment.number, a.interest, a.principal)
        for a in repayment.allocations.select_related("installment").order_by("installment__number")
    ]


def test_partial_payment_pays_interest_first(loan):
    repayment = recorded_repayment(loan, "6.00")
    assert allocations_of(repayment) == [(1, D("6.00"), D("0.00"))]
    assert paid_state(loan) == [(1, D("6.00"), D("0")), (2, D("0"), D("0")), (3, D("0"), D("0"))]


def test_early_payment_runs_over_into_later_installments(loan):
    repayment = recorded_repayment(loan, "500.00", paid_on=date(2026, 1, 20))
    assert allocations_of(repayment) == [(1, D("10.00"), D("330.02")), (2, D("6.70"), D("153.28"))]
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DISBURSED


def test_running_state_adds_up_over_several_payments(loan, officer):
    recorded_repayment(loan, "100.00", recorded_by=officer)
    recorded_repayment(loan, "300.00", recorded_by=officer)
    second_installment = loan.schedule.get(number=2)
    # 400.00 = 340.02 (first installment) + 6.70 interest + 53.28 principal of the second.
    assert (second_installment.interest_paid, second_installment.principal_paid) == (D("6.70"), D("53.28"))
    total_allocated = sum(a.interest + a.principal for a in Allocation.objects.filter(repayment__loan=loan))
    assert total_allocated == D("400.00")


def test_paying_the_schedule_exactly_closes_the_loan(loan):
    recorded_repayment(loan, "340.02", paid_on=date(2026, 2, 15))
    recorded_repayment(loan, "340.02", paid_on=date(2026, 3, 15))
    recorded_repayment(loan, "340.03", paid_on=date(2026, 4, 15))
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.REPAID, date(2026, 4, 15))
    assert all(i.is_paid for i in loan.schedule.all())


def test_reversal_reallocates_the_remaining_payments_from_scratch(loan, officer):
    first = recorded_repayment(loan, "340.02", paid_on=date(2026, 2, 15))
    second = recorded_repayment(loan, "100.00", paid_on=date(2026, 3, 15))
    assert allocations_of(second) == [(2, D("6.70"), D("93.30"))]

    services.repayment_reverse(repayment=first, reversed_by=officer, reason="Cheque bounced.")

    first.refresh_from_db()
    assert first.status == RepaymentStatus.REVERSED
    assert allocations_of(first) == []
    # The 100.00 now pays the oldest installment: interest 10.00, then 90.00 of principal.
    assert allocations_of(second) == [(1, D("10.00"), D("90.00"))]
    assert paid_state(loan) == [(1, D("10.00"), D("90.00")), (2, D("0"), D("0")), (3, D("0"), D("0"))]


def test_reallocation_takes_the_oldest_payment_first(loan, officer):
    # Recorded out of date order: after a reversal the earlier-dated payment is applied first.
    late = recorded_repayment(loan, "20.00", paid_on=date(2026, 3, 20))
    early = recorded_repayment(loan, "5.00", paid_on=date(2026, 2, 10))
    wrong = recorded_repayment(loan, "1.00", paid_on=date(2026, 3, 21))
    services.repayment_reverse(repayment=wrong, reversed_by=officer, reason="Typo.")
    assert allocations_of(early) == [(1, D("5.00"), D("0.00"))]
    assert allocations_of(late) == [(1, D("5.00"), D("15.00"))]


def test_reversal_then_recording_the_same_payment_round_trips(loan, officer):
    recorded_repayment(loan, "123.45")
    before = paid_state(loan)
    extra = recorded_repayment(loan, "400.00")
    services.repayment_reverse(repayment=extra, reversed_by=officer, reason="Duplicate.")
    assert paid_state(loan) == before
    recorded_repayment(loan, "400.00")
    after = paid_state(loan)
    state = allocation.remaining_after(
        [Due(i.number, i.interest_due, i.principal_due) for i in loan.schedule.order_by("number")],
        allocate(
            D("523.45"), [Due(i.number, i.interest_due, i.principal_due) for i in loan.schedule.order_by("number")]
        ),
    )
    assert after == [
        (due.installment_id, i.interest_due - due.interest, i.principal_due - due.principal)
        for due, i in zip(state, loan.schedule.order_by("number"), strict=True)
    ]


def test_pending_and_rejected_payments_are_never_allocated(loan, officer, partner_user):
    loan.borrower.memberships.create(user=partner_user)
    partner_user._organisation_ids = None
    pending = services.repayment_notify(
        loan=loan, notified_by=partner_user, paid_on=date(2026, 2, 15), amount=D("50.00"), currency=loan.currency
    )
    recorded_repayment(loan, "10.00", recorded_by=officer)
    services.repayment_reject(repayment=pending, rejected_by=officer, reason="Not received.")
    assert not pending.allocations.exists()
    assert paid_state(loan)[0] == (1, D("10.00"), D("0"))
