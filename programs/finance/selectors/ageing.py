"""Arrears ageing: the active loans in arrears by days past due, per currency, for the dashboard and the API.

A loan's days past due are the days since the due date of its oldest installment with something still owed; the
loan counts in one bucket with its whole outstanding principal, as the portfolio at risk counts it. Staff who see
every loan read the summaries (``portfolio.late_loans``: whole months from the month rows, the days around the
buckets' edges from the loans' kept figures); a partner user's few loans are
read from their schedules, in one grouped query. Loans repaid or written off are not in the portfolio.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DateField, Min, Q, QuerySet, Sum

from cooperation.reference.models import Currency
from programs.finance.models import LoanStatus
from programs.finance.selectors.common import PRINCIPAL_OUTSTANDING, UNPAID, ZERO, in_minor_units, per_loan
from programs.finance.selectors.portfolio import dashboard_loans, from_summaries, late_loans
from programs.selectors import today_or

# Days past due, first and last of each bucket (None: no upper bound).
AGEING_BUCKETS: tuple[tuple[int, int | None], ...] = ((1, 30), (31, 60), (61, 90), (91, 180), (181, None))


@dataclass(frozen=True)
class AgeingBucket:
    currency: Currency
    first_day: int
    last_day: int | None  # None for the last bucket, open-ended
    loans: int = 0
    principal_outstanding: Decimal = ZERO

    @property
    def key(self) -> str:
        return f"{self.first_day}-{self.last_day}" if self.last_day is not None else f"over-{self.first_day - 1}"


@dataclass(frozen=True)
class CurrencyAgeing:
    currency: Currency
    buckets: list[AgeingBucket] = field(default_factory=list)

    @property
    def loans(self) -> int:
        return sum(bucket.loans for bucket in self.buckets)

    @property
    def principal_outstanding(self) -> Decimal:
        return sum((bucket.principal_outstanding for bucket in self.buckets), ZERO)


def _due_between(oldest: str, today: datetime.date, first_day: int, last_day: int | None) -> Q:
    """Loans whose ``oldest`` unpaid due date is ``first_day`` to ``last_day`` days before ``today``."""
    condition = Q(**{f"{oldest}__lte": today - datetime.timedelta(days=first_day)})
    if last_day is not None:
        condition &= Q(**{f"{oldest}__gte": today - datetime.timedelta(days=last_day)})
    return condition


def arrears_ageing(
    *,
    user,
    today: datetime.date | None = None,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period=None,
) -> list[CurrencyAgeing]:
    """The active loans ``user`` may see that are in arrears on ``today``, per currency (in code order, never added
    across currencies) and bucket of days past due: how many and their outstanding principal. Three queries at
    most, whatever the number of loans.

    ``programmes`` and ``currency`` narrow the loans as in ``portfolio_summary``; ``period`` is taken and ignored,
    as the portfolio's standing figures ignore it: arrears are counted as of ``today``.
    """
    today = today_or(today)
    if from_summaries(user):
        rows = _from_summaries(today, programmes=programmes, currency=currency)
    else:
        rows = _from_schedules(user, today, programmes=programmes, currency=currency)
    currencies = Currency.objects.in_bulk([row["currency_id"] for row in rows])
    ageing = []
    for row in rows:
        code = row["currency_id"]
        buckets = []
        for index, (first_day, last_day) in enumerate(AGEING_BUCKETS):
            amounts = in_minor_units({"principal_outstanding": row[f"principal_{index}"] or ZERO}, currencies[code])
            buckets.append(AgeingBucket(currencies[code], first_day, last_day, loans=row[f"loans_{index}"], **amounts))
        ageing.append(CurrencyAgeing(currency=currencies[code], buckets=buckets))
    return ageing


def _from_summaries(today: datetime.date, *, programmes, currency) -> list[dict]:
    by_currency: dict[str, dict] = {}
    for code, days_late, loans, principal in late_loans(today, programmes=programmes, currency=currency):
        row = by_currency.setdefault(code, {"currency_id": code})
        for index, (first_day, last_day) in enumerate(AGEING_BUCKETS):
            row.setdefault(f"loans_{index}", 0)
            row.setdefault(f"principal_{index}", ZERO)
            if first_day <= days_late and (last_day is None or days_late <= last_day):
                row[f"loans_{index}"] += loans
                row[f"principal_{index}"] += principal
    return [by_currency[code] for code in sorted(by_currency)]


def _from_schedules(user, today: datetime.date, *, programmes, currency) -> list[dict]:
    loans = dashboard_loans(user, programmes=programmes, currency=currency).filter(status=LoanStatus.DISBURSED)
    oldest, principal = "oldest_unpaid", "principal_owed"
    loans = loans.annotate(
        oldest_unpaid=per_loan("due_date", UNPAID, aggregate=Min, output_field=DateField()),
        principal_owed=per_loan(PRINCIPAL_OUTSTANDING),
    )
    aggregates = {}
    for index, (first_day, last_day) in enumerate(AGEING_BUCKETS):
        within = _due_between(oldest, today, first_day, last_day)
        aggregates[f"loans_{index}"] = Count("pk", filter=within)
        aggregates[f"principal_{index}"] = Sum(principal, filter=within)
    rows = (
        loans.filter(**{f"{oldest}__lt": today})
        .order_by()
        .values("currency_id")
        .annotate(**aggregates)
        .order_by("currency_id")
    )
    return list(rows)
