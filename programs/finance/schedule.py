"""Repayment schedules: pure arithmetic on Decimals, no database.

Interest accrues per period on the declining balance at annual rate ÷ periods
per year. Every amount is rounded to the currency's minor unit with
ROUND_HALF_EVEN; the last installment absorbs the rounding, so the principal
parts sum exactly to the principal and the final balance is zero.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from cooperation.dates import add_months
from programs.finance.allocation import SplitAmount

HUNDRED = Decimal(100)


class Amortization(StrEnum):
    ANNUITY = "annuity"
    EQUAL_PRINCIPAL = "equal_principal"
    BULLET = "bullet"


@dataclass(frozen=True)
class Terms:
    principal: Decimal
    minor_unit: int
    annual_rate_percent: Decimal
    periods_per_year: int
    installments: int
    amortization: Amortization
    grace_periods: int
    first_due: datetime.date


@dataclass(frozen=True)
class Row(SplitAmount):
    number: int
    due_date: datetime.date
    principal: Decimal
    interest: Decimal
    balance_after: Decimal


def due_dates(first_due: datetime.date, periods_per_year: int, count: int) -> list[datetime.date]:
    step = 12 // periods_per_year
    return [add_months(first_due, step * index) for index in range(count)]


def _round(amount: Decimal, minor_unit: int) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-minor_unit), rounding=ROUND_HALF_EVEN)


def periodic_rate(terms: Terms) -> Decimal:
    return terms.annual_rate_percent / HUNDRED / terms.periods_per_year


def annuity_payment(principal: Decimal, rate: Decimal, periods: int) -> Decimal:
    """The level payment that repays ``principal`` over ``periods`` at ``rate`` per period (unrounded)."""
    if rate == 0:
        return principal / periods
    return principal * rate / (1 - (1 + rate) ** -periods)


def validate(terms: Terms) -> None:
    if terms.principal <= 0:
        raise ValueError("principal must be positive")
    if terms.installments < 1:
        raise ValueError("at least one installment")
    if not 0 <= terms.grace_periods < terms.installments:
        raise ValueError("the grace period must leave at least one installment that repays principal")
    if terms.periods_per_year not in (1, 2, 4, 12):
        raise ValueError("periods per year must be 1, 2, 4 or 12")
    if not 0 <= terms.annual_rate_percent <= HUNDRED:
        raise ValueError("the annual rate is a percentage between 0 and 100")


def build(terms: Terms) -> list[Row]:
    """The installments of a loan, from its terms."""
    validate(terms)
    rate = periodic_rate(terms)
    dates = due_dates(terms.first_due, terms.periods_per_year, terms.installments)
    amortizing = terms.installments - terms.grace_periods
    level_payment = annuity_payment(terms.principal, rate, amortizing)
    equal_part = _round(terms.principal / amortizing, terms.minor_unit)

    rows, balance = [], terms.principal
    for index, due in enumerate(dates):
        number = index + 1
        interest = _round(balance * rate, terms.minor_unit)
        if number == terms.installments:
            principal = balance  # the last installment absorbs every rounding difference
        elif number <= terms.grace_periods or terms.amortization == Amortization.BULLET:
            principal = Decimal(0)
        elif terms.amortization == Amortization.ANNUITY:
            principal = _round(level_payment, terms.minor_unit) - interest
        else:
            principal = equal_part
        principal = max(Decimal(0), min(principal, balance))
        balance -= principal
        rows.append(Row(number, due, principal, interest, balance))
    return rows


def grant_element(
    rows: list[Row], principal: Decimal, disbursed_on: datetime.date, discount_rate_percent: Decimal
) -> Decimal:
    """OECD DAC grant element in percent: 100 × (1 − PV(scheduled payments) ÷ principal).

    Each payment is discounted by (1 + D)^(−t), t = days from disbursement ÷ 365.
    """
    base = 1 + discount_rate_percent / HUNDRED
    present_value = sum(
        (row.total * base ** (-Decimal((row.due_date - disbursed_on).days) / 365) for row in rows), Decimal(0)
    )
    return (HUNDRED * (1 - present_value / principal)).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
