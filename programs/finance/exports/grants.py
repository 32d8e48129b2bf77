"""The officers' grant list as files: the grants, and the tranches of those same grants, with the list's filters
(``programme``, ``recipient``, ``currency``)."""

from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.finance import selectors
from programs.finance.api.filters import GrantFilter
from programs.finance.exports.common import amount, currency_code, label, local_date
from programs.finance.selectors.grants import visible_grants

GRANT_COLUMNS = (
    Column(_("Reference"), attribute("reference")),
    Column(_("Recipient"), attribute("recipient.name")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Kind"), label("kind")),
    Column(_("Amount"), amount("amount")),
    Column(_("Currency"), currency_code()),
    Column(_("Paid"), amount("paid_total")),
    Column(_("Approved, awaiting payment"), amount("unpaid_total")),
    Column(_("Scheduled"), amount("scheduled_total")),
    Column(_("Cancelled"), amount("cancelled_total")),
    Column(_("Remaining"), amount("remaining_total")),
    Column(_("Recorded on"), local_date("created_at")),
)


def grant_rows(request, grants=None):
    """The grants of the officers' list page for ``request``, newest first, narrowed by its filters; ``grants``
    (the user's visible grants by default) are the rows the filters narrow."""
    rows = selectors.grant_list(user=request.user) if grants is None else grants
    return GrantFilter(request.GET or None, queryset=rows).qs


def grants(request) -> Table:
    require_workspace(request.user, Perm.VIEW_GRANT)
    return Table("grants", GRANT_COLUMNS, grant_rows(request), _("Grants and transfers"))


TRANCHE_COLUMNS = (
    Column(_("Grant"), attribute("grant.reference")),
    Column(_("Recipient"), attribute("grant.recipient.name")),
    Column(_("Programme"), attribute("grant.programme.code")),
    Column(_("Kind"), lambda tranche: str(tranche.grant.get_kind_display())),
    Column(_("Tranche"), attribute("number")),
    Column(_("Planned date"), attribute("planned_on")),
    Column(_("Amount"), amount("amount", currency="grant.currency")),
    Column(_("Currency"), currency_code("grant.currency")),
    Column(_("Status"), label("status")),
    Column(_("Paid on"), attribute("paid_on")),
    Column(_("Payment reference"), attribute("payment_reference")),
)


def tranches(request) -> Table:
    """The tranches of the grants the grant list shows for ``request``: grant by grant in the list's order, each
    grant's tranches by number."""
    require_workspace(request.user, Perm.VIEW_GRANT)
    require_perm(request.user, Perm.VIEW_TRANCHE)
    listed = grant_rows(request, visible_grants(request.user))
    rows = (
        selectors.tranche_list(user=request.user)
        .filter(grant__in=listed.values("pk"))
        .select_related("grant__programme")
        .order_by("-grant__created_at", "-grant_id", "number")
    )
    return Table("tranches", TRANCHE_COLUMNS, rows, _("Grant tranches"))
