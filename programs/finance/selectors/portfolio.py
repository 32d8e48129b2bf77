"""The portfolio in each currency, and repayments month by month, for the dashboard and reports."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth

from cooperation.date_spans import DateSpan
from cooperation.reference.models import Currency
from programs.finance import schedule
from programs.finance.models import (
    Installment,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentStatus,
)
from programs.finance.selectors.common import (
    MONEY,
    OUTSTANDING,
    PRINCIPAL_OUTSTANDING,
    UNPAID,
    ZERO,
    in_minor_units,
    visible_loans,
)
from programs.selectors import percent_of, today_or

# --- portfolio ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CurrencyPortfolio:
    currency: Currency
    outstanding_principal: Decimal = ZERO
    disbursed: Decimal = ZERO
    collected_this_month: Decimal = ZERO  # or, for a summary narrowed to a period, collected within it
    due_next_30_days: Decimal = ZERO
    overdue: Decimal = ZERO
    at_risk_30: Decimal = ZERO  # outstanding principal of loans with an installment > 30 days late
    at_risk_90: Decimal = ZERO
    active_loans: int = 0

    @property
    def par30(self) -> Decimal:
        """Portfolio at risk over 30 days, in percent of the outstanding principal."""
        return percent_of(self.at_risk_30, self.outstanding_principal)

    @property
    def par90(self) -> Decimal:
        return percent_of(self.at_risk_90, self.outstanding_principal)


def ids_of_loans_late(today: datetime.date, days: int) -> QuerySet:
    """Ids of loans with an unpaid installment more than ``days`` days past due."""
    return Installment.objects.filter(UNPAID, due_date__lt=today - datetime.timedelta(days=days)).values("loan_id")


def dashboard_loans(user, *, programmes: QuerySet | None = None, currency: str | None = None) -> QuerySet[Loan]:
    """The loans ``user`` may see, narrowed to the programmes whose ids ``programmes`` selects and to one currency."""
    loans = visible_loans(user)
    if programmes is not None:
        loans = loans.filter(programme_id__in=programmes)
    if currency is not None:
        loans = loans.filter(currency_id=currency)
    return loans


def portfolio_summary(
    *,
    user,
    today: datetime.date | None = None,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period: DateSpan | None = None,
) -> list[CurrencyPortfolio]:
    """The portfolio per currency (never summed across currencies), in four queries whatever its size.

    ``programmes`` (a query of programme ids) and ``currency`` (a code) narrow the loans. The standing figures
    (outstanding, due, overdue, at risk, active) are always as of ``today``; with a ``period``, "disbursed" and
    "collected" count what was disbursed and collected within it instead of ever and this month.
    """
    today = today_or(today)
    loans = dashboard_loans(user, programmes=programmes, currency=currency)
    active = loans.filter(status=LoanStatus.DISBURSED)
    by_currency: dict[str, dict] = defaultdict(dict)

    installment_rows = (
        Installment.objects.filter(loan__in=active.values("pk"))
        .order_by()
        .values("loan__currency_id")
        .annotate(
            outstanding_principal=Sum(PRINCIPAL_OUTSTANDING),
            due_next_30_days=Sum(
                OUTSTANDING, filter=Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=30))
            ),
            overdue=Sum(OUTSTANDING, filter=Q(due_date__lt=today)),
            at_risk_30=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=ids_of_loans_late(today, 30))),
            at_risk_90=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=ids_of_loans_late(today, 90))),
        )
    )
    for row in installment_rows:
        code = row.pop("loan__currency_id")
        by_currency[code].update({key: value or ZERO for key, value in row.items()})

    for row in active.order_by().values("currency_id").annotate(count=Count("pk")):
        by_currency[row["currency_id"]]["active_loans"] = row["count"]
    disbursed_loans = loans.filter(period.within("disbursed_on") if period else Q(disbursed_on__isnull=False))
    disbursed = disbursed_loans.order_by().values("currency_id").annotate(total=Sum("principal"))
    for row in disbursed:
        by_currency[row["currency_id"]]["disbursed"] = row["total"]
    paid_within = period.within("paid_on") if period else Q(paid_on__gte=today.replace(day=1), paid_on__lte=today)
    collected = (
        Repayment.objects.filter(paid_within, loan__in=loans.values("pk"), status=RepaymentStatus.CONFIRMED)
        .order_by()
        .values("currency_id")
        .annotate(total=Sum("amount"))
    )
    for row in collected:
        by_currency[row["currency_id"]]["collected_this_month"] = row["total"]

    currencies = Currency.objects.in_bulk(list(by_currency))
    return [
        CurrencyPortfolio(currency=currencies[code], **in_minor_units(by_currency[code], currencies[code]))
        for code in sorted(by_currency)
    ]


@dataclass(frozen=True)
class MonthAmounts:
    month: datetime.date  # the first day of the month
    expected: Decimal = ZERO
    received: Decimal = ZERO


@dataclass(frozen=True)
class CurrencyMonths:
    currency: Currency
    months: list[MonthAmounts] = field(default_factory=list)


# A chart narrowed to a long period shows its latest months only: bars stay readable on a phone.
LONGEST_CHART_MONTHS = 24


def _month_starts(last: datetime.date, months: int, first: datetime.date | None = None) -> list[datetime.date]:
    """``months`` months up to ``last``'s month; from ``first``'s month instead when given, but never more than
    ``LONGEST_CHART_MONTHS``, the latest kept."""
    last_month = last.replace(day=1)
    if first is not None:
        first_month = first.replace(day=1)
        count = (last_month.year - first_month.year) * 12 + last_month.month - first_month.month + 1
        months = max(1, min(count, LONGEST_CHART_MONTHS))
    return [schedule.add_months(last_month, -offset) for offset in reversed(range(months))]


def repayments_by_month(
    *,
    user,
    today: datetime.date | None = None,
    months: int = 12,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period: DateSpan | None = None,
) -> list[CurrencyMonths]:
    """Per currency, month by month up to ``today``'s month: installments falling due against money received.

    ``programmes`` and ``currency`` narrow the loans as in ``portfolio_summary``. With a ``period`` the months are
    the period's (up to ``LONGEST_CHART_MONTHS``, the latest kept; ``months`` up to its end when it has no start),
    and only what falls due or is paid within it counts.
    """
    today = today_or(today)
    period = period or DateSpan()
    starts = _month_starts(period.end or max(today, period.start or today), months, period.start)
    end = schedule.add_months(starts[-1], 1) - datetime.timedelta(days=1)
    window = DateSpan(max(starts[0], period.start or starts[0]), min(end, period.end or end))
    loans = (
        dashboard_loans(user, programmes=programmes, currency=currency).filter(disbursed_on__isnull=False).values("pk")
    )
    amounts: dict[str, dict[datetime.date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))

    expected = (
        Installment.objects.filter(window.within("due_date"), loan__in=loans)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("loan__currency_id", "month")
        .annotate(total=Sum(ExpressionWrapper(F("principal_due") + F("interest_due"), output_field=MONEY)))
    )
    for row in expected:
        amounts[row["loan__currency_id"]][row["month"]]["expected"] = row["total"]
    received = (
        Repayment.objects.filter(window.within("paid_on"), loan__in=loans, status=RepaymentStatus.CONFIRMED)
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("currency_id", "month")
        .annotate(total=Sum("amount"))
    )
    for row in received:
        amounts[row["currency_id"]][row["month"]]["received"] = row["total"]

    currencies = Currency.objects.in_bulk(list(amounts))
    return [
        CurrencyMonths(
            currency=currencies[code],
            months=[
                MonthAmounts(month=start, **in_minor_units(amounts[code].get(start, {}), currencies[code]))
                for start in starts
            ],
        )
        for code in sorted(amounts)
    ]
