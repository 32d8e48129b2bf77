"""Repayment schedules: pure arithmetic on Decimals, no database.

Interest accrues per period on the declining balance: the annual rate times the
period's share of a year, which the loan's day-count convention (``DayCount``)
gives. Every amount is rounded to the currency's minor unit with
ROUND_HALF_EVEN; the last installment absorbs the rounding, so the principal
parts sum exactly to the principal and the final balance is zero. Annuity
payments are level at the periodic rate (annual rate ÷ periods per year),
whatever the length of the first period.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction

from cooperation.dates import add_months
from programs.finance.allocation import SplitAmount

HUNDRED = Decimal(100)


class Amortization(StrEnum):
    ANNUITY = "annuity"
    EQUAL_PRINCIPAL = "equal_principal"
    BULLET = "bullet"


class DayCount(StrEnum):
    """How a period's interest is counted: the share of a year each period is worth.

    - ``FULL_PERIODS``: every installment, the first included, charges one whole period (annual rate ÷ periods per
      year), however far the first due date is from the disbursement. Loans recorded before conventions were chosen
      keep it, so their schedules do not change.
    - ``THIRTY_E_360`` (30E/360, the "Eurobond basis" of the 2006 ISDA definitions, 4.16(g)): months of 30 days in a
      year of 360; a 31st counts as the 30th, at either end, and February's last day counts as it is (28 or 29).
      A first period from the disbursement to the first due date counts its days so; every later period, and a first
      period exactly one period long (the first due date is the disbursement date moved by the period's months, as
      due dates are counted), is 360 ÷ periods per year days: the periodic rate.
    - ``ACTUAL_365``: actual days ÷ 365 (Actual/365 Fixed), for every period, leap year or not.
    - ``ACTUAL_ACTUAL``: actual days, those in a leap year ÷ 366 and the others ÷ 365 (Actual/Actual ISDA), for
      every period.
    """

    FULL_PERIODS = "full_periods"
    THIRTY_E_360 = "30e_360"
    ACTUAL_365 = "actual_365"
    ACTUAL_ACTUAL = "actual_actual_isda"


def days_30e_360(start: datetime.date, end: datetime.date) -> int:
    """Days from ``start`` to ``end`` under 30E/360: a 31st counts as the 30th, at either end."""
    start_day, end_day = min(start.day, 30), min(end.day, 30)
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + end_day - start_day


def _actual_actual_isda(start: datetime.date, end: datetime.date) -> Fraction:
    """The share of a year from ``start`` to ``end``: each calendar year's days over that year's length."""
    share, cursor = Fraction(0), start
    while cursor < end:
        year_end = min(end, datetime.date(cursor.year + 1, 1, 1))
        share += Fraction((year_end - cursor).days, 366 if calendar.isleap(cursor.year) else 365)
        cursor = year_end
    return share


def year_fraction(day_count: DayCount, start: datetime.date, end: datetime.date) -> Fraction:
    """The share of a year the period from ``start`` to ``end`` is worth under ``day_count`` (not ``FULL_PERIODS``,
    which counts periods, not days)."""
    if day_count == DayCount.THIRTY_E_360:
        return Fraction(days_30e_360(start, end), 360)
    if day_count == DayCount.ACTUAL_365:
        return Fraction((end - start).days, 365)
    if day_count == DayCount.ACTUAL_ACTUAL:
        return _actual_actual_isda(start, end)
    raise ValueError(f"{day_count} counts periods, not days")


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
    # How interest is counted, and from which day the first period's interest runs (the disbursement date). Without
    # that day, the first period is taken as one whole period.
    day_count: DayCount = DayCount.FULL_PERIODS
    interest_from: datetime.date | None = None


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
    if terms.interest_from is not None and terms.interest_from >= terms.first_due:
        raise ValueError("the first due date must fall after the day interest runs from")
    DayCount(terms.day_count)


def period_shares(terms: Terms, dates: list[datetime.date]) -> list[Fraction | None]:
    """The share of a year each installment's interest runs for under the terms' day count; None for one whole
    period (the periodic rate), as every period counts under ``FULL_PERIODS`` and regular ones under 30E/360."""
    step = 12 // terms.periods_per_year
    whole = Fraction(1, terms.periods_per_year)
    if terms.day_count == DayCount.FULL_PERIODS:
        return [None] * len(dates)
    first_start = terms.interest_from
    if first_start is None:
        first_start = add_months(terms.first_due, -step)
    starts = [first_start, *dates[:-1]]
    shares: list[Fraction | None] = []
    for index, (start, end) in enumerate(zip(starts, dates, strict=True)):
        if terms.day_count == DayCount.THIRTY_E_360:
            regular = index > 0 or terms.interest_from is None or add_months(start, step) == end
            share = None if regular else year_fraction(terms.day_count, start, end)
        else:
            share = year_fraction(terms.day_count, start, end)
        shares.append(None if share == whole and terms.day_count == DayCount.THIRTY_E_360 else share)
    return shares


def _interest(balance: Decimal, terms: Terms, rate: Decimal, share: Fraction | None) -> Decimal:
    if share is None:
        return _round(balance * rate, terms.minor_unit)
    with localcontext() as exact:  # enough digits that only the final rounding to the minor unit rounds
        exact.prec = 60
        amount = balance * terms.annual_rate_percent * share.numerator / (HUNDRED * share.denominator)
    return _round(amount, terms.minor_unit)


def build(terms: Terms) -> list[Row]:
    """The installments of a loan, from its terms."""
    validate(terms)
    rate = periodic_rate(terms)
    dates = due_dates(terms.first_due, terms.periods_per_year, terms.installments)
    shares = period_shares(terms, dates)
    amortizing = terms.installments - terms.grace_periods
    level_payment = annuity_payment(terms.principal, rate, amortizing)
    equal_part = _round(terms.principal / amortizing, terms.minor_unit)

    rows, balance = [], terms.principal
    for index, due in enumerate(dates):
        number = index + 1
        interest = _interest(balance, terms, rate, shares[index])
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
