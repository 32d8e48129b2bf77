"""Restructuring a loan's schedule: pure arithmetic on Decimals, no database.

On the day a restructuring takes effect the loan's installments fall in three groups:

* kept: every installment something was paid on (or that a repayment was ever allocated to). It stays with its
  number, due date and allocations, but is reduced to what was paid on it; what it still owed moves on, as below.
* overdue: what installments due before that day still owe. Their principal is still owed and goes into the new
  principal; their interest is either capitalised (added to the new principal) or waived (recorded as waived).
* future: what installments due on or after that day still owe. Their principal goes into the new principal; their
  interest is dropped, since the new schedule charges interest on the new balance itself.

The new schedule (``schedule.build``) repays the new principal on the new terms; its installments are numbered after
the last kept one. So the principal is conserved: paid principal + new principal = old principal + capitalised
interest.

A moratorium adds months of interest on the principal still owed (at the loan's rate), capitalised or waived with
the overdue interest.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from programs.finance import schedule

ZERO = Decimal(0)


class ArrearsTreatment(StrEnum):
    CAPITALISE = "capitalise"
    WAIVE = "waive"


@dataclass(frozen=True)
class OldInstallment:
    """One installment of the schedule as it stands before the restructuring."""

    number: int
    due_date: datetime.date
    principal_due: Decimal
    interest_due: Decimal
    balance_after: Decimal
    principal_paid: Decimal
    interest_paid: Decimal
    allocated: bool = False  # a repayment was allocated to it, even one reversed since

    @property
    def total_due(self) -> Decimal:
        return self.principal_due + self.interest_due

    @property
    def outstanding(self) -> Decimal:
        return self.principal_due + self.interest_due - self.principal_paid - self.interest_paid

    @property
    def is_kept(self) -> bool:
        return self.allocated or self.principal_paid > 0 or self.interest_paid > 0


@dataclass(frozen=True)
class NewTerms:
    annual_rate_percent: Decimal
    installments: int
    grace_periods: int
    first_due: datetime.date
    arrears: ArrearsTreatment
    # A moratorium: months of interest on the principal still owed, capitalised or waived like overdue interest.
    moratorium_months: int = 0


@dataclass(frozen=True)
class Kept:
    """A kept installment reduced to what was paid on it."""

    number: int
    due_date: datetime.date
    principal_due: Decimal
    interest_due: Decimal
    balance_after: Decimal
    changed: bool  # it owed more than was paid: its amounts shrink


@dataclass(frozen=True)
class Plan:
    as_of: datetime.date
    kept: list[Kept]
    removed: list[int]  # numbers of the installments nothing was paid on, replaced by the new schedule
    overdue_principal: Decimal
    overdue_interest: Decimal
    future_principal: Decimal
    dropped_interest: Decimal  # future interest not yet due, replaced by the new schedule's interest
    moratorium_interest: Decimal
    capitalised: Decimal
    waived: Decimal
    new_principal: Decimal
    rows: list[schedule.Row]  # the new installments, numbered after the last kept one

    @property
    def paid_principal(self) -> Decimal:
        return sum((row.principal_due for row in self.kept), ZERO)


def plan(
    old: list[OldInstallment],
    terms: NewTerms,
    *,
    as_of: datetime.date,
    principal: Decimal,
    minor_unit: int,
    periods_per_year: int,
    amortization: schedule.Amortization,
    day_count: schedule.DayCount = schedule.DayCount.FULL_PERIODS,
    disbursed_on: datetime.date | None = None,
) -> Plan:
    """What a restructuring effective on ``as_of`` does to the ``old`` schedule of a loan of ``principal``.

    The new schedule counts interest by the loan's ``day_count``. Its first installment's interest runs from the
    last due date before ``as_of`` (or the disbursement, ``disbursed_on``, when none has passed), the day the old
    schedule charged interest up to, so that no day goes uncharged or is charged twice; under a moratorium, whose
    months of interest are counted on their own, it is one regular period.

    Raises ValueError when nothing is left to reschedule or the new terms give no schedule.
    """
    old = sorted(old, key=lambda item: item.number)
    kept, removed = [], []
    overdue_principal = overdue_interest = future_principal = dropped_interest = ZERO
    repaid = ZERO
    for item in old:
        principal_left = item.principal_due - item.principal_paid
        interest_left = item.interest_due - item.interest_paid
        if item.due_date < as_of:
            overdue_principal += principal_left
            overdue_interest += interest_left
        else:
            future_principal += principal_left
            dropped_interest += interest_left
        if item.is_kept:
            repaid += item.principal_paid
            changed = bool(principal_left or interest_left)
            balance = principal - repaid if changed else item.balance_after
            kept.append(Kept(item.number, item.due_date, item.principal_paid, item.interest_paid, balance, changed))
        else:
            removed.append(item.number)
    owed_principal = overdue_principal + future_principal
    moratorium_interest = (
        owed_principal * terms.annual_rate_percent / schedule.HUNDRED * terms.moratorium_months / 12
    ).quantize(Decimal(1).scaleb(-minor_unit), rounding=ROUND_HALF_EVEN)
    treated = overdue_interest + moratorium_interest
    capitalised = treated if terms.arrears == ArrearsTreatment.CAPITALISE else ZERO
    waived = treated - capitalised
    new_principal = owed_principal + capitalised
    if new_principal <= 0:
        raise ValueError("nothing left to reschedule")
    new_terms = schedule.Terms(
        principal=new_principal,
        minor_unit=minor_unit,
        annual_rate_percent=terms.annual_rate_percent,
        periods_per_year=periods_per_year,
        installments=terms.installments,
        amortization=amortization,
        grace_periods=terms.grace_periods,
        first_due=terms.first_due,
        day_count=day_count,
        interest_from=_interest_from(old, as_of, disbursed_on, terms, day_count),
    )
    first_number = max((item.number for item in kept), default=0) + 1
    rows = [
        schedule.Row(first_number + row.number - 1, row.due_date, row.principal, row.interest, row.balance_after)
        for row in schedule.build(new_terms)
    ]
    return Plan(
        as_of=as_of,
        kept=kept,
        removed=removed,
        overdue_principal=overdue_principal,
        overdue_interest=overdue_interest,
        future_principal=future_principal,
        dropped_interest=dropped_interest,
        moratorium_interest=moratorium_interest,
        capitalised=capitalised,
        waived=waived,
        new_principal=new_principal,
        rows=rows,
    )


def _interest_from(
    old: list[OldInstallment],
    as_of: datetime.date,
    disbursed_on: datetime.date | None,
    terms: NewTerms,
    day_count: schedule.DayCount,
) -> datetime.date | None:
    """The day the new schedule's first interest runs from; None for one regular period."""
    if day_count == schedule.DayCount.FULL_PERIODS or terms.moratorium_months:
        return None
    start = max((item.due_date for item in old if item.due_date < as_of), default=disbursed_on)
    return start if start is not None and start < terms.first_due else None


def rows_after(plan: Plan) -> list[schedule.Row]:
    """The whole schedule once restructured: the kept installments as paid, then the new ones."""
    kept = [schedule.Row(k.number, k.due_date, k.principal_due, k.interest_due, k.balance_after) for k in plan.kept]
    return kept + plan.rows


def rows_before(old: list[OldInstallment]) -> list[schedule.Row]:
    return [
        schedule.Row(item.number, item.due_date, item.principal_due, item.interest_due, item.balance_after)
        for item in sorted(old, key=lambda item: item.number)
    ]


@dataclass(frozen=True)
class Side:
    """One side of the before/after comparison: what is still to be paid, and the grant element of the whole."""

    installments: int
    principal: Decimal
    interest: Decimal
    grant_element: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest


def before_side(
    old: list[OldInstallment], *, principal: Decimal, disbursed_on: datetime.date, discount_rate: Decimal
) -> Side:
    unpaid = [item for item in old if item.outstanding > 0]
    return Side(
        installments=len(unpaid),
        principal=sum((item.principal_due - item.principal_paid for item in unpaid), ZERO),
        interest=sum((item.interest_due - item.interest_paid for item in unpaid), ZERO),
        grant_element=schedule.grant_element(rows_before(old), principal, disbursed_on, discount_rate),
    )


def after_side(plan: Plan, *, principal: Decimal, disbursed_on: datetime.date, discount_rate: Decimal) -> Side:
    return Side(
        installments=len(plan.rows),
        principal=sum((row.principal for row in plan.rows), ZERO),
        interest=sum((row.interest for row in plan.rows), ZERO),
        grant_element=schedule.grant_element(rows_after(plan), principal, disbursed_on, discount_rate),
    )
