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

from cooperation.access import sees_everything
from cooperation.date_spans import DateSpan
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.finance import schedule
from programs.finance.models import (
    Installment,
    Loan,
    LoanFigures,
    LoanStatus,
    LoanTotals,
    MonthFigures,
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
    if from_summaries(user):
        by_currency = _portfolio_from_summaries(today, programmes=programmes, currency=currency, period=period)
    else:
        by_currency = _portfolio_from_schedules(user, today, programmes=programmes, currency=currency, period=period)
    currencies = Currency.objects.in_bulk(list(by_currency))
    return [
        CurrencyPortfolio(currency=currencies[code], **in_minor_units(by_currency[code], currencies[code]))
        for code in sorted(by_currency)
    ]


def from_summaries(user) -> bool:
    """Whether ``user``'s figures can come from the summaries: those add up whole programmes, which is what staff
    who see every loan are shown. A partner user's few loans are added up from their schedules."""
    return user.has_perm(Perm.VIEW_LOAN) and sees_everything(user)


def _month_end(day: datetime.date) -> datetime.date:
    return schedule.add_months(day.replace(day=1), 1) - datetime.timedelta(days=1)


def split_into_months(span: DateSpan) -> tuple[DateSpan | None, list[DateSpan]]:
    """``span`` as the whole calendar months it covers (a span of first days of months, open where ``span`` is;
    None when it covers no whole month) and the days left at either end (at most two spans)."""
    start, end = span.start, span.end
    first = None if start is None else start if start.day == 1 else schedule.add_months(start.replace(day=1), 1)
    last = None if end is None else end.replace(day=1) if end == _month_end(end) else schedule.add_months(end, -1)
    if last is not None:
        last = last.replace(day=1)
    if first is not None and last is not None and first > last:
        return None, [span]
    edges = []
    if start is not None and start < first:
        edges.append(DateSpan(start, first - datetime.timedelta(days=1)))
    if end is not None and end > _month_end(last):
        edges.append(DateSpan(schedule.add_months(last, 1), end))
    return DateSpan(first, last), edges


def _months_within(months: DateSpan | None) -> Q:
    """Month rows of the whole months ``months`` spans (none for None)."""
    if months is None:
        return Q(pk__in=[])
    return months.within("month")


def _month_rows(programmes: QuerySet | None, currency: str | None) -> QuerySet[MonthFigures]:
    rows = MonthFigures.objects.order_by()
    if programmes is not None:
        rows = rows.filter(programme_id__in=programmes)
    if currency is not None:
        rows = rows.filter(currency_id=currency)
    return rows


def _through_loan(prefix: str, programmes: QuerySet | None, currency: str | None) -> Q:
    """Rows whose loan (reached through ``prefix``) is of the programmes and currency: one join, not a subquery
    of loan ids."""
    condition = Q()
    if programmes is not None:
        condition &= Q(**{f"{prefix}programme_id__in": programmes})
    if currency is not None:
        condition &= Q(**{f"{prefix}currency_id": currency})
    return condition


def _totals_rows(programmes: QuerySet | None, currency: str | None) -> QuerySet[LoanTotals]:
    rows = LoanTotals.objects.filter(loans__gt=0).order_by()
    if programmes is not None:
        rows = rows.filter(programme_id__in=programmes)
    if currency is not None:
        rows = rows.filter(currency_id=currency)
    return rows


# The days late at which a loan moves into the portfolio at risk or into another ageing bucket, each with the day
# before: the months holding them are read day by day, every other month as a whole (see ``late_loans``).
DAYS_LATE_EDGES = (0, 1, 30, 31, 60, 61, 90, 91, 180, 181)


def late_loans(today: datetime.date, *, programmes: QuerySet | None, currency: str | None) -> list[tuple]:
    """The active loans in arrears on ``today`` as (currency code, days late, loans, principal outstanding) rows:
    a row per month of their oldest unpaid due date from the month rows, except in the months where a loan's days
    late cross a bucket's edge in the month, which come from the loans' kept figures day by day (an index range of
    the loans that fell late in those months). Two queries, whatever the size of the portfolio."""
    this_month = today.replace(day=1)
    edges = sorted({(today - datetime.timedelta(days=days)).replace(day=1) for days in DAYS_LATE_EDGES})
    rows = []
    whole_months = (
        _month_rows(programmes, currency)
        .filter(month__lt=this_month, late_loans__gt=0)
        .exclude(month__in=edges)
        .values("currency_id", "month")
        .annotate(loans=Sum("late_loans"), principal=Sum("late_principal"))
    )
    for row in whole_months:
        rows.append((row["currency_id"], (today - row["month"]).days, row["loans"], row["principal"]))
    in_edge_months = Q()
    for month in edges:
        in_edge_months |= Q(oldest_unpaid_due_date__gte=month, oldest_unpaid_due_date__lt=schedule.add_months(month, 1))
    by_day = (
        LoanFigures.objects.filter(
            in_edge_months,
            _through_loan("loan__", programmes, currency),
            oldest_unpaid_due_date__lt=today,
            loan__status=LoanStatus.DISBURSED,
        )
        .order_by()
        .values("loan__currency_id", "oldest_unpaid_due_date")
        .annotate(loans=Count("pk"), principal=Sum("principal_outstanding"))
    )
    for row in by_day:
        days_late = (today - row["oldest_unpaid_due_date"]).days
        rows.append((row["loan__currency_id"], days_late, row["loans"], row["principal"]))
    return rows


def _portfolio_from_summaries(today, *, programmes, currency, period) -> dict[str, dict]:
    """The portfolio's figures per currency code, from the summaries: the standing figures from the total rows and
    the month rows (``late_loans``), the dated ones over whole months, and only the days at the ends of a span
    (this month so far, the next 30 days, a period's first and last days) from the schedules and repayments
    themselves, through their date indexes."""
    by_currency: dict[str, dict] = {}
    active = Q(status=LoanStatus.DISBURSED)
    for row in (
        _totals_rows(programmes, currency)
        .filter(active if period is not None else active | Q(disbursed__gt=0))
        .values("currency_id")
        .annotate(
            active_loans=Sum("loans", filter=active),
            outstanding_principal=Sum("principal_outstanding", filter=active),
            disbursed=Sum("disbursed"),
        )
    ):
        code = row.pop("currency_id")
        by_currency[code] = {key: value or ZERO for key, value in row.items()}
        by_currency[code]["active_loans"] = row["active_loans"] or 0
        if period is not None:
            by_currency[code]["disbursed"] = ZERO
    if period is not None:
        loans = Loan.objects.filter(period.within("disbursed_on"), _through_loan("", programmes, currency))
        for row in loans.order_by().values("currency_id").annotate(total=Sum("principal")):
            figures = by_currency.setdefault(
                row["currency_id"], {"active_loans": 0, "outstanding_principal": ZERO, "disbursed": ZERO}
            )
            figures["disbursed"] = row["total"]
    for code, days_late, _loans, principal in late_loans(today, programmes=programmes, currency=currency):
        figures = by_currency.get(code)
        if figures is None:  # an active loan's currency is always there; this guards a repair in progress
            continue
        for days, key in ((30, "at_risk_30"), (90, "at_risk_90")):
            if days_late > days:
                figures[key] = figures.get(key, ZERO) + principal
    for figures in by_currency.values():
        figures.setdefault("at_risk_30", ZERO)
        figures.setdefault("at_risk_90", ZERO)

    def add(code: str, key: str, value) -> None:
        figures = by_currency.setdefault(code, {})
        figures[key] = figures.get(key, ZERO) + (value or ZERO)

    # Overdue: the months before this one from the month rows, this month's days before today from the schedules.
    this_month = today.replace(day=1)
    for row in (
        Installment.objects.filter(
            _through_loan("loan__", programmes, currency),
            loan__status=LoanStatus.DISBURSED,
            due_date__gte=min(this_month, today),
            due_date__lte=today + datetime.timedelta(days=30),
        )
        .order_by()
        .values("loan__currency_id")
        .annotate(
            due_next_30_days=Sum(OUTSTANDING, filter=Q(due_date__gte=today)),
            overdue=Sum(OUTSTANDING, filter=Q(due_date__lt=today)),
        )
    ):
        add(row["loan__currency_id"], "due_next_30_days", row["due_next_30_days"])
        add(row["loan__currency_id"], "overdue", row["overdue"])

    collected_months, collected_edges = split_into_months(period or DateSpan(this_month, today))
    # Only month rows with something still owed count towards overdue: a partial index holds just those.
    overdue = _month_rows(programmes, currency).filter(month__lt=this_month, arrears_installments__gt=0)
    for row in overdue.values("currency_id").annotate(overdue=Sum("arrears")):
        if row["overdue"]:
            add(row["currency_id"], "overdue", row["overdue"])
    if collected_months is not None:
        collected = _month_rows(programmes, currency).filter(_months_within(collected_months), repayments__gt=0)
        for row in collected.values("currency_id").annotate(collected=Sum("received")):
            add(row["currency_id"], "collected_this_month", row["collected"])
    if collected_edges:
        edges = Q()
        for edge in collected_edges:
            edges |= edge.within("paid_on")
        collected = (
            Repayment.objects.filter(edges, _through_loan("loan__", programmes, currency))
            .filter(status=RepaymentStatus.CONFIRMED)
            .order_by()
            .values("currency_id")
            .annotate(total=Sum("amount"))
        )
        for row in collected:
            add(row["currency_id"], "collected_this_month", row["total"])
    return by_currency


def _portfolio_from_schedules(user, today, *, programmes, currency, period) -> dict[str, dict]:
    """The portfolio's figures per currency code, added up from the loans' schedules and repayments."""
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
    return by_currency


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


def _add_month_amounts(amounts: dict, loans: Q, spans: list[DateSpan]) -> None:
    """Add to ``amounts`` (per currency, month and kind) what fell due and what was received within ``spans``,
    counted from the schedules and repayments of the ``loans`` (a condition on rows reaching them as ``loan``)."""
    if not spans:
        return
    due_within, paid_within = Q(), Q()
    for span in spans:
        due_within |= span.within("due_date")
        paid_within |= span.within("paid_on")
    expected = (
        Installment.objects.filter(due_within, loans)
        .annotate(month=TruncMonth("due_date"))
        .order_by()
        .values("loan__currency_id", "month")
        .annotate(total=Sum(ExpressionWrapper(F("principal_due") + F("interest_due"), output_field=MONEY)))
    )
    for row in expected:
        month = amounts[row["loan__currency_id"]][row["month"]]
        month["expected"] = month.get("expected", ZERO) + row["total"]
    received = (
        Repayment.objects.filter(paid_within, loans, status=RepaymentStatus.CONFIRMED)
        .annotate(month=TruncMonth("paid_on"))
        .order_by()
        .values("currency_id", "month")
        .annotate(total=Sum("amount"))
    )
    for row in received:
        month = amounts[row["currency_id"]][row["month"]]
        month["received"] = month.get("received", ZERO) + row["total"]


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
    if from_summaries(user):
        whole_months, edges = split_into_months(window)
        rows = _month_rows(programmes, currency).filter(_months_within(whole_months))
        totals = rows.values("currency_id", "month").annotate(
            expected=Sum("expected"), received=Sum("received"), counted=Sum("due_installments") + Sum("repayments")
        )
        for row in totals:
            if row["counted"]:
                amounts[row["currency_id"]][row["month"]] = {"expected": row["expected"], "received": row["received"]}
        disbursed = Q(loan__disbursed_on__isnull=False)
        _add_month_amounts(amounts, _through_loan("loan__", programmes, currency) & disbursed, edges)
    else:
        _add_month_amounts(amounts, Q(loan__in=loans), [window])

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
