"""Figures the loan pages show, read for the list and the API as well: each loan's grant element without a query,
and the portfolio per currency (committed, disbursed, outstanding, in arrears, at risk).

Amounts are summed in SQL per currency, never across currencies: two queries whatever the number of loans.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum

from cooperation.reference.models import Currency
from programs.finance import schedule
from programs.finance.models import COMMITTED_STATUSES, DacFinding, Installment, Loan, LoanStatus, LoanTotals
from programs.finance.selectors.common import (
    OUTSTANDING,
    PRINCIPAL_OUTSTANDING,
    ZERO,
    in_minor_units,
    visible_loans,
)
from programs.finance.selectors.portfolio import dashboard_loans, from_summaries, ids_of_loans_late
from programs.selectors import percent_of, today_or

# --- grant element ------------------------------------------------------------------------------------------------


def grant_element_of(loan: Loan) -> Decimal | None:
    """The loan's OECD DAC grant element in percent, at its ``discount_rate``; None when its stored terms give no
    schedule (dates typed before they were bounded).

    The figure saved with the loan's terms (``Loan.grant_element``), without a query; computed here from the terms
    for a loan saved without it (rows written in bulk, outside ``Loan.save``).
    """
    if loan.grant_element is not None:
        return loan.grant_element
    return computed_grant_element(loan)


def computed_grant_element(loan: Loan) -> Decimal | None:
    """``grant_element_of`` computed from the terms, without a query (the loan's currency loaded with it, as
    ``loan_list`` does): the schedule an approval fixes is the one the terms give, and terms change only while the
    loan is a draft, so this is the figure the loan's page shows from its saved schedule."""
    from programs.finance.services.terms import loan_schedule_rows

    try:
        rows = loan_schedule_rows(loan)
    except (ValidationError, ValueError, ArithmeticError):
        return None
    disbursed_on = loan.disbursed_on or loan.disbursement_date
    try:
        return schedule.grant_element(rows, loan.principal, disbursed_on, loan.discount_rate)
    except ArithmeticError:
        return None


def with_grant_elements(loans) -> list[Loan]:
    """The ``loans`` (a page of them), each with ``grant_element`` set (``grant_element_of``)."""
    loans = list(loans)
    for loan in loans:
        loan.grant_element = grant_element_of(loan)
    return loans


# --- the portfolio per currency -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioCurrency:
    """The loans in one currency. Amounts are principal unless said otherwise; the rates are percent of the
    outstanding principal."""

    currency: Currency
    loans: int = 0  # every loan counted here, whatever its status
    committed_loans: int = 0
    active_loans: int = 0  # disbursed and not yet repaid or written off
    loans_in_arrears: int = 0  # active, with an installment unpaid after its due date
    par30_loans: int = 0
    par90_loans: int = 0
    committed: Decimal = ZERO  # principal of approved, disbursed, repaid and written-off loans
    disbursed: Decimal = ZERO  # principal of the loans whose money went out
    outstanding_principal: Decimal = ZERO  # still owed on active loans
    principal_in_arrears: Decimal = ZERO  # of which due before today and unpaid
    overdue: Decimal = ZERO  # principal and interest due before today and unpaid, on active loans
    par30_amount: Decimal = ZERO  # outstanding principal of active loans with an installment > 30 days late
    par90_amount: Decimal = ZERO
    # The committed loans under the OECD DAC rules (``Loan.dac_concessional``): concessional, not concessional, and
    # not tested (no recipient category recorded, or no rule in force on the commitment day).
    concessional_loans: int = 0
    concessional: Decimal = ZERO
    non_concessional_loans: int = 0
    non_concessional: Decimal = ZERO
    dac_untested_loans: int = 0

    @property
    def par30_rate(self) -> Decimal:
        """Portfolio at risk over 30 days, in percent of the outstanding principal (0 of nothing is 0)."""
        return percent_of(self.par30_amount, self.outstanding_principal)

    @property
    def par90_rate(self) -> Decimal:
        return percent_of(self.par90_amount, self.outstanding_principal)


def dac_counts() -> dict:
    """The aggregates of ``PortfolioCurrency``'s DAC fields over committed loans, for a query grouped by currency."""
    committed = Q(status__in=COMMITTED_STATUSES)
    concessional, not_concessional = committed & Q(dac_concessional=True), committed & Q(dac_concessional=False)
    return {
        "concessional_loans": Count("pk", filter=concessional),
        "concessional": Sum("principal", filter=concessional),
        "non_concessional_loans": Count("pk", filter=not_concessional),
        "non_concessional": Sum("principal", filter=not_concessional),
        "dac_untested_loans": Count("pk", filter=committed & Q(dac_concessional__isnull=True)),
    }


@dataclass(frozen=True)
class CurrencyConcessionality:
    """The committed loans in one currency under the OECD DAC rules (see ``PortfolioCurrency``'s DAC fields)."""

    currency: Currency
    concessional_loans: int = 0
    concessional: Decimal = ZERO
    non_concessional_loans: int = 0
    non_concessional: Decimal = ZERO
    dac_untested_loans: int = 0


def concessionality(
    *, user, programmes: QuerySet | None = None, currency: str | None = None, today=None, period=None
) -> list[CurrencyConcessionality]:
    """The committed loans ``user`` may see per currency (in code order): concessional under the OECD DAC rules or
    not, and how many are not tested. Two queries over the kept ``Loan.dac_concessional`` (staff who see every loan
    read the loans' total rows instead); ``programmes`` and ``currency`` narrow the loans as in
    ``portfolio_summary``, ``today`` and ``period`` are taken and ignored (a loan is judged once, by the rule in
    force on its commitment date)."""
    if from_summaries(user):
        rows = _concessionality_from_totals(programmes, currency)
    else:
        rows = list(
            dashboard_loans(user, programmes=programmes, currency=currency)
            .filter(status__in=COMMITTED_STATUSES)
            .order_by()
            .values("currency_id")
            .annotate(**dac_counts())
            .order_by("currency_id")
        )
    currencies = Currency.objects.in_bulk([row["currency_id"] for row in rows])
    found = []
    for row in rows:
        code = currencies[row.pop("currency_id")]
        values = {key: ZERO if value is None else value for key, value in row.items()}
        found.append(CurrencyConcessionality(currency=code, **in_minor_units(values, code)))
    return found


def _concessionality_from_totals(programmes: QuerySet | None, currency: str | None) -> list[dict]:
    rows = LoanTotals.objects.filter(loans__gt=0).order_by()
    if programmes is not None:
        rows = rows.filter(programme_id__in=programmes)
    if currency is not None:
        rows = rows.filter(currency_id=currency)
    concessional, not_concessional = Q(dac=DacFinding.CONCESSIONAL), Q(dac=DacFinding.NOT_CONCESSIONAL)
    found = rows.values("currency_id").annotate(
        concessional_loans=Sum("loans", filter=concessional),
        concessional=Sum("principal", filter=concessional),
        non_concessional_loans=Sum("loans", filter=not_concessional),
        non_concessional=Sum("principal", filter=not_concessional),
        dac_untested_loans=Sum("loans", filter=Q(dac=DacFinding.UNTESTED)),
    )
    counts = ("concessional_loans", "non_concessional_loans", "dac_untested_loans")
    return [
        {key: (value or 0) if key in counts else value for key, value in row.items()}
        for row in found.order_by("currency_id")
    ]


def loan_portfolio(
    *, user, loans: QuerySet[Loan] | None = None, today: datetime.date | None = None
) -> list[PortfolioCurrency]:
    """The portfolio per currency of the loans ``user`` may see (of ``loans`` only, when given: a narrowed
    ``loan_list``), as of ``today``; currencies in code order. Two queries.

    At risk (PAR30, PAR90) is the whole outstanding principal of an active loan with an installment more than 30
    (90) days late, as the dashboard counts it.
    """
    today = today_or(today)
    scoped = visible_loans(user)
    if loans is not None:
        scoped = scoped.filter(pk__in=loans.values("pk"))
    scoped = scoped.order_by()
    active = Q(status=LoanStatus.DISBURSED)
    late_30, late_90 = ids_of_loans_late(today, 30), ids_of_loans_late(today, 90)
    rows: dict[str, dict] = {}
    for row in scoped.values("currency_id", "currency__minor_unit").annotate(
        loans=Count("pk"),
        committed_loans=Count("pk", filter=Q(status__in=COMMITTED_STATUSES)),
        active_loans=Count("pk", filter=active),
        loans_in_arrears=Count("pk", filter=active & Q(pk__in=ids_of_loans_late(today, 0))),
        par30_loans=Count("pk", filter=active & Q(pk__in=late_30)),
        par90_loans=Count("pk", filter=active & Q(pk__in=late_90)),
        committed=Sum("principal", filter=Q(status__in=COMMITTED_STATUSES)),
        disbursed=Sum("principal", filter=Q(disbursed_on__isnull=False)),
        **dac_counts(),
    ):
        rows[row.pop("currency_id")] = row
    past_due = Q(due_date__lt=today)
    owed = (
        Installment.objects.filter(loan__in=scoped.filter(active).values("pk"))
        .order_by()
        .values("loan__currency_id")
        .annotate(
            outstanding_principal=Sum(PRINCIPAL_OUTSTANDING),
            principal_in_arrears=Sum(PRINCIPAL_OUTSTANDING, filter=past_due),
            overdue=Sum(OUTSTANDING, filter=past_due),
            par30_amount=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=late_30)),
            par90_amount=Sum(PRINCIPAL_OUTSTANDING, filter=Q(loan_id__in=late_90)),
        )
    )
    for row in owed:
        rows[row.pop("loan__currency_id")].update(row)
    portfolio = []
    for code in sorted(rows):
        values = rows[code]
        currency = Currency(code=code, minor_unit=values.pop("currency__minor_unit"))
        values = {key: ZERO if value is None else value for key, value in values.items()}
        portfolio.append(PortfolioCurrency(currency=currency, **in_minor_units(values, currency)))
    return portfolio
