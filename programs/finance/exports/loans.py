"""The officers' loan list and repayments as files: the rows the pages show, with their filters and sort."""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.money import quantize
from cooperation.pages import listed_rows, require_workspace
from cooperation.roles import Perm
from programs.finance import selectors
from programs.finance.api.filters import RepaymentFilter
from programs.finance.exports.common import (
    amount,
    currency_code,
    key,
    key_amount,
    key_label,
    key_local_date,
    label,
    local_date,
)
from programs.finance.filters import LoanListFilter
from programs.finance.models import Allocation, Loan
from programs.finance.views.loans import LOAN_COLUMNS as LOAN_PAGE_COLUMNS


def _term_months(loan: dict) -> int:
    """The repayment term in months: installments times the months between two of them."""
    return loan["installments"] * 12 // loan["frequency"]


def loan_columns() -> tuple[Column, ...]:
    """The columns of one export of the loan list (its labels looked up once, in the export's language). Each loan
    is read as a dictionary of ``LOAN_VALUES`` (its own columns, its sums in SQL, the labels of the records it
    points at): no model instance per row, however many rows."""
    return (
        Column(_("Reference"), key("reference")),
        Column(_("Borrower"), key("borrower__name")),
        Column(_("Lender"), key("lender__name")),
        Column(_("Programme"), key("programme__code")),
        Column(_("Status"), key_label(Loan, "status")),
        Column(_("Principal"), key_amount("principal")),
        Column(_("Currency"), key("currency")),
        Column(_("Outstanding principal"), key_amount("outstanding_principal")),
        Column(_("Overdue amount"), key_amount("overdue_amount")),
        Column(_("Days in arrears"), key("max_days_past_due")),
        Column(_("Annual interest rate (%)"), key("annual_rate")),
        Column(_("Term (months)"), _term_months),
        Column(_("Installments"), key("installments")),
        Column(_("Repayment frequency"), key_label(Loan, "frequency")),
        Column(_("Amortization"), key_label(Loan, "amortization")),
        Column(_("Grace period (installments)"), key("grace_periods")),
        Column(_("Interest day count"), key_label(Loan, "day_count")),
        Column(_("Planned disbursement"), key("disbursement_date")),
        Column(_("First repayment"), key("first_repayment_date")),
        Column(_("Approved on"), key_local_date("approved_at")),
        Column(_("Disbursed on"), key("disbursed_on")),
        Column(_("Closed on"), key("closed_on")),
    )


LOAN_VALUES = (
    *("reference", "status", "principal", "currency", "annual_rate", "installments", "frequency", "amortization"),
    *("grace_periods", "day_count", "disbursement_date", "first_repayment_date"),
    *("approved_at", "disbursed_on", "closed_on"),
    *("outstanding_principal", "overdue_amount", "max_days_past_due"),
    *("borrower__name", "lender__name", "programme__code", "currency__minor_unit"),
)


def loan_rows(request):
    """The loans of the officers' list page for ``request``: its filters and its sort ("Sort by" or a header), as
    dictionaries of what the file shows."""
    filterset = LoanListFilter(request.GET or None, queryset=selectors.loan_list(user=request.user))
    return listed_rows(request, filterset.qs, LOAN_PAGE_COLUMNS).values(*LOAN_VALUES)


def loans(request) -> Table:
    require_workspace(request.user, Perm.VIEW_LOAN)
    return Table("loans", loan_columns(), loan_rows(request), _("Loans"))


# --- repayments ---------------------------------------------------------------------------------------------------


def _applied(part: str):
    """What the repayment paid of ``part`` ("interest" or "principal") across the installments it was applied to."""

    def value(repayment):
        total = sum((getattr(allocation, part) for allocation in repayment.allocations.all()), Decimal(0))
        return quantize(total, repayment.currency)

    return value


def _installments(repayment) -> str | None:
    return ", ".join(f"#{allocation.installment.number}" for allocation in repayment.allocations.all()) or None


def _person(path: str):
    read = attribute(path)

    def value(repayment):
        user = read(repayment)
        return None if user is None else user.get_full_name() or user.username

    return value


REPAYMENT_COLUMNS = (
    Column(_("Loan"), attribute("loan.reference")),
    Column(_("Borrower"), attribute("loan.borrower.name")),
    Column(_("Programme"), attribute("loan.programme.code")),
    Column(_("Payment date"), attribute("paid_on")),
    Column(_("Amount"), amount("amount")),
    Column(_("Currency"), currency_code()),
    Column(_("Interest applied"), _applied("interest")),
    Column(_("Principal applied"), _applied("principal")),
    Column(_("Applied to installments"), _installments),
    Column(_("Payment reference"), attribute("reference")),
    Column(_("Status"), label("status")),
    Column(_("Reason for reversal"), attribute("reversal_reason")),
    Column(_("Recorded by"), _person("recorded_by")),
    Column(_("Recorded on"), local_date("created_at")),
    Column(_("Confirmed by"), _person("confirmed_by")),
)


def repayments(request) -> Table:
    """Repayments as a loan's page lists them (``?loan=`` its id), or of every loan the user sees; narrowed by
    the repayment filters of the API (``status``, ``currency``, ``paid_from``, ``paid_until``)."""
    require_workspace(request.user, Perm.VIEW_LOAN)
    require_perm(request.user, Perm.VIEW_REPAYMENT)
    allocations = Allocation.objects.select_related("installment").order_by("installment__number")
    rows = (
        selectors.repayment_list(user=request.user)
        .select_related("loan__programme")
        .prefetch_related(Prefetch("allocations", queryset=allocations))
    )
    filterset = RepaymentFilter(request.GET or None, queryset=rows)
    return Table("repayments", REPAYMENT_COLUMNS, filterset.qs, _("Repayments"))
