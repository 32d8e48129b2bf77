"""Properties that must hold for every loan, not just the ones worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.finance import services
from programs.finance.allocation import Due, Overpayment, allocate, remaining_after, split_evenly, total_owed
from programs.finance.models import Allocation, Installment, Repayment, RepaymentStatus
from programs.finance.schedule import Amortization, Terms, build
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import LoanFactory, disbursed_loan

D = Decimal
MINOR_UNITS = st.sampled_from([0, 2, 3])


def unit(minor_unit: int) -> Decimal:
    return D(1).scaleb(-minor_unit)


@st.composite
def loan_terms(draw) -> Terms:
    minor_unit = draw(MINOR_UNITS)
    installments = draw(st.integers(min_value=1, max_value=360))
    return Terms(
        principal=draw(st.integers(min_value=1, max_value=10**11)) * unit(minor_unit),
        minor_unit=minor_unit,
        annual_rate_percent=draw(st.integers(min_value=0, max_value=1_000_000)) * D("0.0001"),
        periods_per_year=draw(st.sampled_from([1, 2, 4, 12])),
        installments=installments,
        amortization=draw(st.sampled_from(list(Amortization))),
        grace_periods=draw(st.integers(min_value=0, max_value=installments - 1)),
        first_due=draw(st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2060, 12, 31))),
    )


@settings(max_examples=300, deadline=None)
@given(loan_terms())
def test_schedule_repays_exactly_the_principal_in_minor_units(terms):
    rows = build(terms)
    step = unit(terms.minor_unit)

    assert len(rows) == terms.installments
    assert sum(row.principal for row in rows) == terms.principal
    assert rows[-1].balance_after == 0
    balance = terms.principal
    for row in rows:
        for amount in (row.principal, row.interest, row.balance_after):
            assert amount >= 0
            assert amount == amount.quantize(step), f"{amount} is not in whole minor units"
        assert row.balance_after == balance - row.principal
        balance = row.balance_after
    for row in rows[: terms.grace_periods]:
        assert row.principal == 0
    if terms.amortization == Amortization.BULLET:
        assert all(row.principal == 0 for row in rows[:-1])
    assert all(a.due_date < b.due_date for a, b in zip(rows, rows[1:], strict=False))
    if terms.annual_rate_percent == 0:
        assert all(row.interest == 0 for row in rows)


@st.composite
def schedule_and_payments(draw):
    minor_unit = draw(MINOR_UNITS)
    step = unit(minor_unit)
    amounts = st.integers(min_value=0, max_value=10**6).map(lambda n: n * step)
    dues = [Due(number, draw(amounts), draw(amounts)) for number in range(1, draw(st.integers(1, 30)) + 1)]
    owed = total_owed(dues)
    payments, left = [], owed
    while left > 0 and len(payments) < 10 and draw(st.booleans()):
        payment = draw(st.integers(min_value=1, max_value=int(left / step))) * step
        payments.append(payment)
        left -= payment
    return dues, payments, step


@settings(max_examples=300, deadline=None)
@given(schedule_and_payments())
def test_allocation_conserves_every_cent_and_follows_the_waterfall(case):
    dues, payments, step = case
    remaining = dues
    for payment in payments:
        portions = allocate(payment, remaining)
        assert sum(portion.total for portion in portions) == payment
        by_id = {due.installment_id: due for due in remaining}
        for portion in portions:
            due = by_id[portion.installment_id]
            assert 0 <= portion.interest <= due.interest
            assert 0 <= portion.principal <= due.principal
            if portion.principal:
                assert portion.interest == due.interest, "principal before the interest was paid"
        remaining = remaining_after(remaining, portions)
        touched = {portion.installment_id for portion in portions}
        if touched:
            newest = max(touched)
            assert all(due.total == 0 for due in remaining if due.installment_id < newest), "a younger one first"
    # Order does not matter: the schedule ends as if everything had been paid at once.
    paid = sum(payments, D(0))
    if paid:
        assert remaining == remaining_after(dues, allocate(paid, dues))
    assert total_owed(remaining) == total_owed(dues) - paid
    with pytest.raises(Overpayment) as refused:
        allocate(total_owed(remaining) + step, remaining)
    assert refused.value.owed == total_owed(remaining)


@settings(max_examples=300, deadline=None)
@given(
    minor_unit=MINOR_UNITS,
    units=st.integers(min_value=1, max_value=10**12),
    parts=st.integers(min_value=1, max_value=120),
)
def test_tranche_split_sums_to_the_amount_with_at_most_one_unit_difference(minor_unit, units, parts):
    amount = units * unit(minor_unit)
    shares = split_evenly(amount, parts, minor_unit)
    assert sum(shares) == amount
    assert len(shares) == parts
    assert max(shares) - min(shares) <= unit(minor_unit)
    assert shares == sorted(shares, reverse=True)
    assert all(share == share.quantize(unit(minor_unit)) for share in shares)


# --- on the database ----------------------------------------------------------------------------------------------

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(min_value=1, max_value=150_000)),  # cents of USD
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=20)),  # which confirmed repayment
    ),
    min_size=1,
    max_size=8,
)


class Rollback(Exception):
    pass


def assert_books_balance(loan, rows_before: set[int] = frozenset()) -> set[int]:
    """Live allocations of confirmed repayments equal the payments and what the schedule shows as paid; every
    allocation ever written is still there, and those a reversal took off carry who, when and why.

    Returns the ids of every allocation row, for the next check to prove none went missing.
    """
    confirmed = sum(
        Repayment.objects.filter(loan=loan, status=RepaymentStatus.CONFIRMED).values_list("amount", flat=True), D(0)
    )
    allocated = sum((a.interest + a.principal for a in Allocation.objects.filter(repayment__loan=loan)), D(0))
    installments = list(Installment.objects.filter(loan=loan))
    paid = sum((i.interest_paid + i.principal_paid for i in installments), D(0))
    assert allocated == confirmed == paid
    for installment in installments:
        assert 0 <= installment.interest_paid <= installment.interest_due
        assert 0 <= installment.principal_paid <= installment.principal_due
    assert (
        not Allocation.objects.filter(repayment__loan=loan)
        .exclude(repayment__status=RepaymentStatus.CONFIRMED)
        .exists()
    )
    every_row = Allocation.with_reversed.filter(repayment__loan=loan)
    assert set(rows_before) <= set(every_row.values_list("pk", flat=True)), "an allocation was deleted"
    assert not every_row.filter(repayment__status=RepaymentStatus.REVERSED, reversed_at__isnull=True).exists()
    for row in every_row.filter(reversed_at__isnull=False):
        assert row.reversed_by_id is not None and row.reversal_reason
    # Each installment's history ends with what it holds now.
    for installment in installments:
        latest = installment.history.first()
        assert (latest.interest_paid, latest.principal_paid) == (installment.interest_paid, installment.principal_paid)
    return set(every_row.values_list("pk", flat=True))


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS, rate=st.sampled_from([D("0"), D("3.25"), D("12")]))
def test_any_sequence_of_repayments_and_reversals_keeps_the_books_balanced(actions, rate):
    try:
        with transaction.atomic():
            officer = UserFactory(role="Programme officer")
            loan = disbursed_loan(principal=D("5000.00"), annual_rate=rate, installments=6)
            owed_at_start = services.amount_owed(loan)
            rows = set()
            for kind, value in actions:
                if kind == "pay":
                    amount = D(value) / 100
                    owed = services.amount_owed(loan)
                    if amount > owed:
                        with pytest.raises(ValidationError, match="still owed"):
                            services.repayment_record(
                                loan=loan,
                                recorded_by=officer,
                                paid_on=loan.first_repayment_date,
                                amount=amount,
                                currency=loan.currency,
                            )
                    else:
                        services.repayment_record(
                            loan=loan,
                            recorded_by=officer,
                            paid_on=loan.first_repayment_date,
                            amount=amount,
                            currency=loan.currency,
                        )
                else:
                    confirmed = list(loan.repayments.filter(status=RepaymentStatus.CONFIRMED).order_by("pk"))
                    if confirmed:
                        target = confirmed[value % len(confirmed)]
                        before = [(i.interest_paid, i.principal_paid) for i in loan.schedule.order_by("number")]
                        services.repayment_reverse(repayment=target, reversed_by=officer, reason="Test.")
                        # Recording the same amount again restores the schedule exactly.
                        services.repayment_record(
                            loan=loan,
                            recorded_by=officer,
                            paid_on=target.paid_on,
                            amount=target.amount,
                            currency=loan.currency,
                        )
                        after = [(i.interest_paid, i.principal_paid) for i in loan.schedule.order_by("number")]
                        assert after == before
                        services.repayment_reverse(
                            repayment=loan.repayments.order_by("-pk").first(), reversed_by=officer, reason="Test."
                        )
                rows = assert_books_balance(loan, rows)
                loan.refresh_from_db()
                confirmed_total = sum(
                    loan.repayments.filter(status=RepaymentStatus.CONFIRMED).values_list("amount", flat=True), D(0)
                )
                assert services.amount_owed(loan) == owed_at_start - confirmed_total
                assert (loan.status == "repaid") == (confirmed_total == owed_at_start)
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(terms=loan_terms(), code=st.sampled_from(["USD", "JPY", "KWD"]))
def test_the_schedule_saved_on_approval_is_the_one_the_terms_give(terms, code):
    try:
        with transaction.atomic():
            money = currency(code)
            step = unit(money.minor_unit)
            principal = max((terms.principal / 10**6).quantize(step), step)
            loan = LoanFactory(
                principal=principal,
                currency=money,
                annual_rate=terms.annual_rate_percent,
                frequency=terms.periods_per_year,
                installments=min(terms.installments, 60),
                amortization=terms.amortization.value,
                grace_periods=min(terms.grace_periods, min(terms.installments, 60) - 1),
            )
            services.loan_submit(loan=loan, submitted_by=loan.created_by)
            services.loan_approve(loan=loan, approved_by=UserFactory(role="Manager"))
            saved = list(loan.schedule.order_by("number"))
            assert sum(i.principal_due for i in saved) == principal
            assert saved[-1].balance_after == 0
            assert [(i.principal_due, i.interest_due) for i in saved] == [
                (row.principal, row.interest) for row in build(services.loan_terms(loan))
            ]
            raise Rollback
    except Rollback:
        pass
