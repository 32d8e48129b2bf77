"""The results reports' lists as files (see cooperation.exports): what awaits the officers' review and what is
overdue, and on the partner portal what the partner owes and what it has sent, each as its page shows it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.portal.access import require_portal_user
from programs.results import selectors
from programs.results.models import ReportStatus
from programs.results.portal_views import sent_reports
from programs.results.views.reports import overdue_reports

PERIOD_COLUMNS = (
    Column(_("Programme"), attribute("period.programme.code")),
    Column(_("Programme title"), attribute("period.programme.title")),
    Column(_("Partner"), attribute("organisation.name")),
    Column(_("Period start"), attribute("period.starts_on")),
    Column(_("Period end"), attribute("period.ends_on")),
    Column(_("Due"), attribute("period.due_on")),
)


def _submitted_on(report):
    return timezone.localdate(report.submitted_at) if report.submitted_at else None


def _report_state(entry):
    """What became of a report still owed: not begun, or its status (a draft, returned for revision)."""
    return str(_("Not begun")) if entry.report is None else str(entry.report.get_status_display())


AWAITING_COLUMNS = (
    *PERIOD_COLUMNS,
    Column(_("Status"), lambda report: str(report.get_status_display())),
    Column(_("Submitted"), _submitted_on),
    Column(_("Submitted by"), attribute("submitted_by.get_full_name"), personal=True),
    Column(_("Entered on the partner's behalf"), attribute("on_behalf")),
)


def awaiting_review(request) -> Table:
    require_workspace(request.user, Perm.VIEW_RESULTS_REPORT)
    rows = selectors.awaiting_review(user=request.user)
    return Table("reports-awaiting-review", AWAITING_COLUMNS, rows, _("Reports awaiting review"))


def _overdue_columns(today) -> tuple[Column, ...]:
    return (
        *PERIOD_COLUMNS,
        Column(_("Days overdue"), lambda entry: (today - entry.period.due_on).days),
        Column(_("Report"), _report_state),
    )


def overdue(request) -> Table:
    require_workspace(request.user, Perm.VIEW_RESULTS_REPORT)
    columns = _overdue_columns(timezone.localdate())
    return Table("reports-overdue", columns, overdue_reports(request.user), _("Overdue reports"))


def _require_portal(user) -> None:
    require_portal_user(user)
    require_perm(user, Perm.VIEW_RESULTS_REPORT)


def _return_comment(entry):
    """Why a report was returned for revision, as the page shows it beside the report."""
    returned = entry.report is not None and entry.report.status == ReportStatus.RETURNED
    return entry.report.review_comment if returned else ""


DUE_COLUMNS = (
    *PERIOD_COLUMNS,
    Column(_("Overdue"), attribute("overdue")),
    Column(_("Report"), _report_state),
    Column(_("Reviewer's comment"), _return_comment),
)


def portal_due(request) -> Table:
    """The reports the partner user's organisations still owe."""
    _require_portal(request.user)
    rows = selectors.reports_due(user=request.user, today=timezone.localdate())
    return Table("reports-due", DUE_COLUMNS, rows, _("Reports due"))


SENT_COLUMNS = (
    *PERIOD_COLUMNS,
    Column(_("Status"), lambda report: str(report.get_status_display())),
    Column(_("Submitted"), _submitted_on),
)


def portal_sent(request) -> Table:
    """The reports the partner user's organisations have sent."""
    _require_portal(request.user)
    return Table("reports-sent", SENT_COLUMNS, sent_reports(request.user), _("Reports sent"))
