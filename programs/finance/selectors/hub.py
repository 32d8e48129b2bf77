"""The figures the programme page, the partner page and the portal's home show for loans and grants.

Every figure is summed in SQL per currency (never across currencies) and per status, so a hub costs the same few
queries for ten loans as for ten thousand. The callers pass querysets already scoped to the user (``loan_list``,
``grant_list``) and narrowed to a programme or a partner.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum

from cooperation import exchange
from cooperation.reference.models import Currency
from programs.finance.models import COMMITTED_STATUSES, Grant, Installment, Loan, LoanStatus, Tranche, TrancheStatus
from programs.finance.selectors.common import (
    ARREARS_STATUSES,
    OUTSTANDING,
    UNPAID,
    ZERO,
    in_minor_units,
)
from programs.selectors import today_or

PAR_DAYS = 30
ARREARS_SHOWN = 10


def _currency(code: str, minor_unit: int) -> Currency:
    """The currency as the ``money`` filter needs it, read in the same query as the amounts."""
    return Currency(code=code, minor_unit=minor_unit)


@dataclass(frozen=True)
class LoanCurrency:
    currency: Currency
    count: int = 0
    committed: Decimal = ZERO  # principal of approved, disbursed, repaid and written-off loans
    outstanding: Decimal = ZERO  # principal still owed on disbursed loans
    at_risk_30: Decimal = ZERO  # of which on loans with an installment more than 30 days late
    par30_loans: int = 0


@dataclass(frozen=True)
class GrantCurrency:
    currency: Currency
    count: int = 0
    total: Decimal = ZERO
    # status → (number of tranches, amount)
    tranches: dict = field(default_factory=dict)

    def tranche(self, status: str) -> tuple[int, Decimal]:
        return self.tranches.get(status, (0, ZERO))

    @property
    def paid(self):
        return self.tranche(TrancheStatus.PAID)

    @property
    def approved(self):
        return self.tranche(TrancheStatus.APPROVED)

    @property
    def scheduled(self):
        return self.tranche(TrancheStatus.SCHEDULED)


@dataclass(frozen=True)
class LoanFigures:
    count: int
    by_status: list[tuple[str, str, int]]  # (status, label, count), only the statuses that occur
    by_currency: list[LoanCurrency]

    @property
    def par30_loans(self) -> int:
        return sum(row.par30_loans for row in self.by_currency)


def disbursed_total(loans: QuerySet[Loan]) -> exchange.Total:
    """The principal disbursed per currency and in the reporting currency, each loan at the rate of the day it was
    disbursed: one query summing per currency and day, then the conversion's few."""
    rows = (
        loans.order_by()
        .filter(disbursed_on__isnull=False)
        .values("currency_id", "disbursed_on")
        .annotate(amount=Sum("principal"))
        .values_list("amount", "currency_id", "disbursed_on")
    )
    return exchange.total(rows)


def loan_figures(loans: QuerySet[Loan], today: datetime.date | None = None) -> LoanFigures:
    """Counts by status, and per currency the principal committed, outstanding and at risk: one query, what is
    outstanding and how late read from each loan's ``LoanFigures`` (its schedule in two figures, kept by the
    services), never from the installments."""
    late = Q(figures__oldest_unpaid_due_date__lt=today_or(today) - datetime.timedelta(days=PAR_DAYS))
    rows = (
        loans.order_by()
        .values_list("status", "currency_id", "currency__minor_unit")
        .annotate(
            count=Count("pk"),
            principal=Sum("principal"),
            outstanding=Sum("figures__principal_outstanding"),
            at_risk_30=Sum("figures__principal_outstanding", filter=late),
            par30_loans=Count("pk", filter=late),
        )
    )
    counts: dict[str, int] = defaultdict(int)
    minor_units: dict[str, int] = {}
    per_currency: dict[str, dict] = defaultdict(
        lambda: {"count": 0, "committed": ZERO, "outstanding": ZERO, "at_risk_30": ZERO, "par30_loans": 0}
    )
    for status, code, minor_unit, count, principal, outstanding, at_risk_30, par30_loans in rows:
        counts[status] += count
        minor_units[code] = minor_unit
        values = per_currency[code]
        values["count"] += count
        if status in COMMITTED_STATUSES:
            values["committed"] += principal or ZERO
        if status == LoanStatus.DISBURSED:
            values["outstanding"] += outstanding or ZERO
            values["at_risk_30"] += at_risk_30 or ZERO
            values["par30_loans"] += par30_loans
    by_status = [(status, label, counts[status]) for status, label in LoanStatus.choices if counts.get(status)]
    by_currency = []
    for code in sorted(per_currency):
        currency = _currency(code, minor_units[code])
        by_currency.append(LoanCurrency(currency=currency, **in_minor_units(per_currency[code], currency)))
    return LoanFigures(sum(counts.values()), by_status, by_currency)


def grant_figures(grants: QuerySet[Grant]) -> list[GrantCurrency]:
    """Per currency: grants counted and summed, and their tranches by status (two queries)."""
    grants = grants.order_by()
    rows = {
        row["currency_id"]: row
        for row in grants.values("currency_id", "currency__minor_unit").annotate(count=Count("pk"), total=Sum("amount"))
    }
    tranches: dict[str, dict] = {code: {} for code in rows}
    for row in (
        Tranche.objects.filter(grant__in=grants.values("pk"))
        .order_by()
        .values("grant__currency_id", "status")
        .annotate(count=Count("pk"), total=Sum("amount"))
    ):
        tranches[row["grant__currency_id"]][row["status"]] = (row["count"], row["total"])
    figures = []
    for code in sorted(rows):
        currency = _currency(code, rows[code]["currency__minor_unit"])
        by_status = {
            status: (count, in_minor_units({"total": total}, currency)["total"])
            for status, (count, total) in tranches[code].items()
        }
        total = in_minor_units({"total": rows[code]["total"]}, currency)["total"]
        figures.append(GrantCurrency(currency, rows[code]["count"], total, by_status))
    return figures


@dataclass(frozen=True)
class LoanArrears:
    pk: int
    reference: str
    borrower: str
    currency: Currency
    overdue: Decimal
    days_past_due: int  # of the oldest unpaid installment


@dataclass(frozen=True)
class ArrearsFigures:
    loans: list[LoanArrears]  # the most overdue first, at most ``ARREARS_SHOWN``
    loan_count: int
    overdue_by_currency: list[tuple[Currency, Decimal]]


def _overdue_installments(loans: QuerySet[Loan], today: datetime.date) -> QuerySet[Installment]:
    in_arrears = loans.filter(status__in=ARREARS_STATUSES).values("pk")
    return Installment.objects.filter(UNPAID, loan__in=in_arrears, due_date__lt=today).order_by()


def arrears_figures(loans: QuerySet[Loan], today: datetime.date | None = None) -> ArrearsFigures:
    """The loans among ``loans`` with an installment past due: each with its amount overdue and the days its oldest
    unpaid installment is late, and the amount overdue per currency (two queries)."""
    today = today_or(today)
    installments = _overdue_installments(loans, today)
    per_loan = (
        installments.values("loan_id", "loan__reference", "loan__borrower__name", "loan__currency_id")
        .annotate(minor_unit=Min("loan__currency__minor_unit"), overdue=Sum(OUTSTANDING), oldest=Min("due_date"))
        .order_by("oldest", "loan__reference")
    )
    shown = []
    for row in per_loan[:ARREARS_SHOWN]:
        currency = _currency(row["loan__currency_id"], row["minor_unit"])
        shown.append(
            LoanArrears(
                pk=row["loan_id"],
                reference=row["loan__reference"],
                borrower=row["loan__borrower__name"],
                currency=currency,
                overdue=in_minor_units({"overdue": row["overdue"]}, currency)["overdue"],
                days_past_due=(today - row["oldest"]).days,
            )
        )
    totals = []
    for row in (
        installments.values("loan__currency_id", "loan__currency__minor_unit")
        .annotate(overdue=Sum(OUTSTANDING), loans=Count("loan_id", distinct=True))
        .order_by("loan__currency_id")
    ):
        currency = _currency(row["loan__currency_id"], row["loan__currency__minor_unit"])
        totals.append((currency, row["loans"], in_minor_units({"overdue": row["overdue"]}, currency)["overdue"]))
    return ArrearsFigures(
        loans=shown,
        loan_count=sum(count for _currency_, count, _amount in totals),
        overdue_by_currency=[(currency, amount) for currency, _count, amount in totals],
    )


def late_loans(organisation, days: int, today: datetime.date | None = None) -> list[tuple[str, int]]:
    """(reference, days late) of the organisation's loans as borrower whose oldest unpaid installment is more than
    ``days`` days past due, the latest first: what the partner's risk flags name (one query, no user: the flags
    concern the organisation itself)."""
    today = today_or(today)
    loans = Loan.objects.filter(borrower=organisation)
    rows = (
        _overdue_installments(loans, today)
        .filter(due_date__lt=today - datetime.timedelta(days=days))
        .values("loan__reference")
        .annotate(oldest=Min("due_date"))
        .order_by("oldest", "loan__reference")
    )
    return [(row["loan__reference"], (today - row["oldest"]).days) for row in rows]
