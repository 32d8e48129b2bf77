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

from cooperation.reference.models import Currency
from programs.finance import schedule
from programs.finance.models import (
    Installment,
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
    collected_this_month: Decimal = ZERO
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


def _late_loans(today: datetime.date, days: int) -> QuerySet:
    """Ids of loans with an unpaid installment more than ``days`` days past due."""
    return Installment.objects.filter(UNPAID, due_date__lt=today - datetime.timedelta(days=days)).values("loan_id")


def portfolio_summary(*, user, today: datetime.date | None = None) -> list[CurrencyPortfolio]:
    """The portfolio per currency (never summed across currencies), in four queries whatever its size."""
    today = today_or(today)
    loans = visible_loans(user)
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
            at_risk_30=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=_late_loans(today, 30))),
            at_risk_90=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=_late_loans(today, 90))),
        )
    )
    for row in installment_rows:
        code = row.pop("loan__currency_id")
        by_currency[code].update({key: value or ZERO for key, value in row.items()})

    for row in active.order_by().values("currency_id").annotate(count=Count("pk")):
        by_currency[row["currency_id"]]["active_loans"] = row["count"]
    disbursed = (
        loans.filter(disbursed_on__isnull=False).order_by().values("currency_id").annotate(total=Sum("principal"))
    )
    for row in disbursed:
        by_currency[row["currency_id"]]["disbursed"] = row["total"]
    collected = (
        Repayment.objects.filter(
            loan__in=loans.values("pk"),
            status=RepaymentStatus.CONFIRMED,
            paid_on__gte=today.replace(day=1),
            paid_on__lte=today,
        )
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


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    this_month = today.replace(day=1)
    return [schedule.add_months(this_month, -offset) for offset in reversed(range(months))]


def repayments_by_month(*, user, today: datetime.date | None = None, months: int = 12) -> list[CurrencyMonths]:
    """Per currency, month by month up to ``today``'s month: installments falling due against money received."""
    today = today_or(today)
    starts = _month_starts(today, months)
    end = schedule.add_months(starts[-1], 1) - datetime.timedelta(days=1)
    loans = visible_loans(user).filter(disbursed_on__isnull=False).values("pk")
    amounts: dict[str, dict[datetime.date, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))

    expected = (
        Installment.objects.filter(loan__in=loans, due_date__gte=starts[0], due_date__lte=end)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("loan__currency_id", "month")
        .annotate(total=Sum(ExpressionWrapper(F("principal_due") + F("interest_due"), output_field=MONEY)))
    )
    for row in expected:
        amounts[row["loan__currency_id"]][row["month"]]["expected"] = row["total"]
    received = (
        Repayment.objects.filter(
            loan__in=loans, status=RepaymentStatus.CONFIRMED, paid_on__gte=starts[0], paid_on__lte=end
        )
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
