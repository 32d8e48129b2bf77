"""The partner portal's scholars, as the host institution sees them: what each one owes and receives."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.roles import Perm
from programs.scholarships import selectors
from programs.scholarships.exports._common import amount, day_of, label, require_portal
from programs.scholarships.exports.applications import reference
from programs.scholarships.models import ApplicationStatus


def _email(scholar):
    return scholar.email if scholar.personal_data_visible else selectors.REDACTED


def portal_scholars(request) -> Table:
    """The host institution's scholars (from the award on): the portal shows it their names, and their email once
    the privacy rule admits it, as on the scholar's page."""
    user = request.user
    require_portal(user, Perm.VIEW_APPLICATION)
    today = timezone.localdate()
    records_response = user.has_perm(Perm.RECORD_AWARD_RESPONSE)

    def what_is_due(scholar) -> str:
        if scholar.status == ApplicationStatus.ACCEPTED:
            return str(_("Enrolment to confirm"))
        if scholar.status == ApplicationStatus.AWARDED:
            if records_response:
                return str(_("Award to accept or decline"))
            return str(_("Waiting for the scholar to accept the award"))
        due = selectors.report_due_next(scholar)
        if due is not None:
            return str(_("Progress report overdue") if due <= today else _("Next progress report"))
        return str(_("Every progress report is in")) if scholar.status == ApplicationStatus.ENROLLED else ""

    columns = (
        Column(_("Reference"), reference),
        Column(_("Scholar"), attribute("applicant_name")),
        Column(_("Email"), _email),
        Column(_("Scholarship"), attribute("call.title")),
        Column(_("Level"), label("call.level")),
        Column(_("Programme"), attribute("call.programme.code")),
        Column(_("Field of study"), attribute("field_of_study")),
        Column(_("Status"), label("status")),
        Column(_("Awarded on"), day_of("awarded_at")),
        Column(_("Enrolled on"), attribute("enrolled_on")),
        Column(_("What is due"), what_is_due),
        Column(_("Progress report due on"), selectors.report_due_next),
        Column(_("Stipend per period"), amount("call.stipend_amount", "call.stipend_currency")),
        Column(_("Currency"), attribute("call.stipend_currency_id")),
        Column(_("Stipend frequency"), label("call.stipend_frequency")),
    )
    rows = selectors.hosted_scholars(user=user).select_related("call__stipend_currency")
    return Table("our-scholars", columns, rows, _("Scholars we host"))
