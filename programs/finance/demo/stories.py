"""The shape of a demonstration loan, and the steps of its story after the disbursement.

Dates count back from the day the demo is loaded, so the portfolio always has loans that are current, a few days
late, more than 30 and more than 90 days late, and reminders due today. Repayment amounts are read from the
schedule the approval generated, so they stay right whatever the calendar does to the due dates.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cooperation.money import quantize
from programs.finance import services
from programs.finance.models import (
    AmortizationMethod,
    DayCountConvention,
    Frequency,
    Installment,
    Loan,
    LoanStatus,
    RepaymentStatus,
)


def _payment_date(loan: Loan, today: datetime.date, on: int, days: int, ago: int | None) -> datetime.date:
    """``ago`` days before today, or ``days`` after installment ``on`` fell due; never after today."""
    if ago is not None:
        paid_on = today - datetime.timedelta(days=ago)
    else:
        paid_on = loan.schedule.get(number=on).due_date + datetime.timedelta(days=days)
    return max(min(paid_on, today), loan.disbursed_on)


def _first_unpaid(loan: Loan) -> Installment:
    return next(item for item in loan.schedule.order_by("number") if not item.is_paid)


@dataclass(frozen=True)
class Pay:
    """The officer records money received: what is owed through installment ``through``, plus ``part`` of the next.

    Dated ``days`` after installment ``on`` (default: ``through``) fell due, or ``ago`` days before today.
    ``everything`` pays the whole loan off.
    """

    through: int = 0
    part: Decimal = Decimal(0)
    on: int | None = None
    days: int = 0
    ago: int | None = None
    everything: bool = False
    reference: str = ""

    def amount(self, loan: Loan) -> Decimal:
        schedule = list(loan.schedule.order_by("number"))
        if self.everything:
            return sum((item.outstanding for item in schedule), Decimal(0))
        amount = sum((item.outstanding for item in schedule if item.number <= self.through), Decimal(0))
        following = [item for item in schedule if item.number == self.through + 1]
        if self.part and following:
            amount += quantize(following[0].outstanding * self.part, loan.currency)
        return amount

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        services.repayment_record(
            loan=loan,
            recorded_by=users["officer"],
            paid_on=_payment_date(loan, today, self.on or self.through or 1, self.days, self.ago),
            amount=self.amount(loan),
            currency=loan.currency,
            reference=self.reference,
        )


@dataclass(frozen=True)
class Reverse:
    """The officer reverses the latest confirmed repayment; the loan's other repayments are re-allocated."""

    reason: str

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        latest = loan.repayments.filter(status=RepaymentStatus.CONFIRMED).latest("created_at", "pk")
        services.repayment_reverse(repayment=latest, reversed_by=users["officer"], reason=self.reason)


@dataclass(frozen=True)
class Notify:
    """A partner user notifies a payment of ``part`` of the oldest unpaid installment; it waits for an officer."""

    username: str
    part: Decimal
    ago: int
    reference: str

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        services.repayment_notify(
            loan=loan,
            notified_by=users[self.username],
            paid_on=_payment_date(loan, today, 1, 0, self.ago),
            amount=quantize(_first_unpaid(loan).outstanding * self.part, loan.currency),
            currency=loan.currency,
            reference=self.reference,
        )


@dataclass(frozen=True)
class DemoLoan:
    purpose: str  # with the programme and the borrower, the demo loan's natural key
    programme: str
    borrower: str
    principal: str
    currency: str
    annual_rate: str
    frequency: Frequency
    installments: int
    amortization: AmortizationMethod
    status: LoanStatus  # where its story ends
    disbursed_days_ago: int  # negative: the disbursement is planned for later
    grace_periods: int = 0
    lender: str | None = None
    story: tuple[Pay | Reverse | Notify, ...] = ()  # what happens after the disbursement
    reason: str = ""  # why it was rejected, cancelled or written off
    day_count: DayCountConvention = DayCountConvention.THIRTY_E_360
    # Days the first repayment falls after one whole period from the disbursement (a long first period), or before
    # it when negative (a short one).
    first_period_days: int = 0
