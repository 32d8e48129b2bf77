"""The partner portal's loan and grant lists as files: only the partner organisation's own, as its pages show them."""

from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.roles import Perm
from programs.finance.exports.common import amount, currency_code, label
from programs.finance.models import LoanStatus
from programs.finance.portal_views import own_grants, own_loans
from programs.portal.access import require_portal_user


def _while_active(read):
    """The next installment due, as the page shows it: only on an active (disbursed) loan."""
    return lambda loan: read(loan) if loan.status == LoanStatus.DISBURSED else None


PORTAL_LOAN_COLUMNS = (
    Column(_("Reference"), attribute("reference")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Programme title"), attribute("programme.title")),
    Column(_("Status"), label("status")),
    Column(_("Principal"), amount("principal")),
    Column(_("Currency"), currency_code()),
    Column(_("Outstanding principal"), amount("outstanding_principal")),
    Column(_("Next due date"), _while_active(attribute("next_due_on"))),
    Column(_("Next due amount"), _while_active(amount("next_due_amount"))),
    Column(_("Overdue amount"), amount("overdue_amount")),
    Column(_("Days late"), attribute("max_days_past_due")),
    Column(_("Annual interest rate (%)"), attribute("annual_rate")),
    Column(_("Installments"), attribute("installments")),
    Column(_("Repayment frequency"), label("frequency")),
    Column(_("Disbursed on"), attribute("disbursed_on")),
)


def portal_loans(request) -> Table:
    require_portal_user(request.user)
    require_perm(request.user, Perm.VIEW_LOAN)
    return Table("our-loans", PORTAL_LOAN_COLUMNS, own_loans(request.user), _("Our loans"))


PORTAL_GRANT_COLUMNS = (
    Column(_("Reference"), attribute("reference")),
    Column(_("Kind"), label("kind")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Programme title"), attribute("programme.title")),
    Column(_("Amount"), amount("amount")),
    Column(_("Currency"), currency_code()),
    Column(_("Paid"), amount("paid_total")),
    Column(_("Approved, awaiting payment"), amount("unpaid_total")),
    Column(_("Remaining"), amount("remaining_total")),
    Column(_("Tranches"), lambda grant: len(grant.tranches.all())),
)


def portal_grants(request) -> Table:
    require_portal_user(request.user)
    require_perm(request.user, Perm.VIEW_GRANT)
    return Table("our-grants", PORTAL_GRANT_COLUMNS, own_grants(request.user), _("Our grants"))
