"""The calendar of a scholarship: when progress reports fall due and when stipend tranches are paid.

Everything counts from the enrolment date (the host institution confirms it):

- Progress reports are due at the end of every term of ``REPORT_TERM_MONTHS`` months (6: one report per
  semester) and at the end of the scholarship, whichever comes first: a 12-month master's has reports due
  at months 6 and 12, a 9-month course at 6 and 9, a 2-month short course at 2.
- Stipend tranches are paid at the start of each period of the call's frequency (month 0, 1, 2 … for
  monthly), for as many periods as the duration needs; a last period cut short by the duration is paid
  pro rata, rounded to the currency's minor unit. A stipend paid "once" is one tranche on enrolment.
- A tranche may be approved only when the latest report due on or before its due date is in and accepted,
  i.e. an accepted report covers a period ending on or after that report's due date. Tranches due before
  the first report falls due (the first one always) need no report.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from cooperation.dates import add_months
from cooperation.money import quantize
from programs.scholarships.models import MONTHS_PER_PERIOD

REPORT_TERM_MONTHS = 6


def report_due_dates(enrolled_on: datetime.date, duration_months: int) -> list[datetime.date]:
    months = list(range(REPORT_TERM_MONTHS, duration_months, REPORT_TERM_MONTHS)) + [duration_months]
    return [add_months(enrolled_on, month) for month in months]


def latest_report_due(
    enrolled_on: datetime.date | None, duration_months: int, on: datetime.date
) -> datetime.date | None:
    """The due date of the latest report due on or before ``on``; None when no report is due yet."""
    if enrolled_on is None:
        return None
    due = [day for day in report_due_dates(enrolled_on, duration_months) if day <= on]
    return due[-1] if due else None


@dataclass(frozen=True)
class PlannedTranche:
    number: int
    due_on: datetime.date
    amount: Decimal


def stipend_plan(*, enrolled_on: datetime.date, frequency: str, duration_months: int, amount: Decimal, currency):
    """The tranches of a stipend of ``amount`` per period (see the module's docstring)."""
    period = MONTHS_PER_PERIOD[frequency]
    if period is None:
        return [PlannedTranche(1, enrolled_on, quantize(amount, currency))]
    plan = []
    for number, start in enumerate(range(0, duration_months, period), start=1):
        months_paid = min(period, duration_months - start)
        plan.append(
            PlannedTranche(number, add_months(enrolled_on, start), quantize(amount * months_paid / period, currency))
        )
    return plan
