"""Stipend tranches and progress reports as files."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.scholarships import selectors
from programs.scholarships.exports._common import amount, day_of, label, person
from programs.scholarships.references import application_reference
from programs.scholarships.views.stipends import tranche_rows

# The progress report a tranche waits for, as the tranche list says it.
REPORT_GATES = {
    "none": _("None needed yet"),
    "accepted": _("In and accepted"),
    "submitted": _("In, awaiting review"),
    "returned": _("Returned, a corrected one is awaited"),
    "missing": _("Not in yet"),
}


def _scholar_reference(row) -> str:
    return application_reference(row.application_id)


def _gate(tranche) -> str:
    return str(REPORT_GATES[selectors.tranche_report_gate(tranche)[1]])


def _report_due(tranche):
    return selectors.tranche_report_gate(tranche)[0]


TRANCHE_COLUMNS = (
    Column(_("Scholar"), attribute("application.applicant_name"), personal=True),
    Column(_("Reference"), _scholar_reference),
    Column(_("Call"), attribute("application.call.title")),
    Column(_("No."), attribute("number")),
    Column(_("Due on"), attribute("due_on")),
    Column(_("Amount"), amount("amount", "currency")),
    Column(_("Currency"), attribute("currency_id")),
    Column(_("Progress report"), _gate),
    Column(_("Report due on"), _report_due),
    Column(_("Status"), label("status")),
    Column(_("Approved by"), person("approved_by")),
    Column(_("Approved on"), day_of("approved_at")),
    Column(_("Paid on"), attribute("paid_on")),
    Column(_("Payment reference"), attribute("payment_reference")),
    Column(_("Note"), attribute("status_note")),
)


def tranches(request) -> Table:
    require_workspace(request.user, Perm.VIEW_STIPEND)
    _filters, rows = tranche_rows(request)
    return Table("stipend-tranches", TRANCHE_COLUMNS, rows, _("Stipend tranches"))


REPORT_COLUMNS = (
    Column(_("Scholar"), attribute("application.applicant_name"), personal=True),
    Column(_("Reference"), _scholar_reference),
    Column(_("Call"), attribute("application.call.title")),
    Column(_("Host institution"), attribute("application.call.host.name")),
    Column(_("Term"), attribute("term_label")),
    Column(_("End of the period"), attribute("period_end")),
    Column(_("Result"), attribute("result")),
    Column(_("Status"), label("status")),
    Column(_("Submitted on"), day_of("created_at")),
    Column(_("Submitted by"), person("submitted_by")),
    Column(_("Reviewed by"), person("reviewed_by")),
    Column(_("Reviewed on"), day_of("reviewed_at")),
    Column(_("Reason for returning"), attribute("return_reason")),
)


def reports(request) -> Table:
    """The progress report list: those awaiting a decision first, then the newest periods."""
    require_workspace(request.user, Perm.VIEW_PROGRESS_REPORT)
    rows = selectors.report_queue(user=request.user).select_related("application__call__host")
    return Table("progress-reports", REPORT_COLUMNS, rows, _("Progress reports"))
