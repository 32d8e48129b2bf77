"""Applications, awards and a reviewer's own assignments as files."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import listed_rows, require_workspace
from cooperation.roles import Perm
from programs.scholarships import selectors
from programs.scholarships.exports._common import amount, day_of, label, person
from programs.scholarships.references import application_reference
from programs.scholarships.views.applications import APPLICATION_COLUMNS, application_filters, shows_personal_columns


def reference(application) -> str:
    return application_reference(application.pk)


def _email(application):
    return application.email if application.personal_data_visible else selectors.REDACTED


def _date_of_birth(application):
    return application.date_of_birth if application.personal_data_visible else None


# The list's own rule, not the kernel's: the applicant's columns are offered to those who may see personal data and
# to reviewers (never to auditors); the email and date of birth show only on the rows the privacy rule admits.
APPLICANT_COLUMNS = (
    Column(_("Applicant"), attribute("applicant_name")),
    Column(_("Email"), _email),
    Column(_("Date of birth"), _date_of_birth),
)
APPLICATION_FIELDS = (
    Column(_("Call"), attribute("call.title")),
    Column(_("Programme"), attribute("call.programme.code")),
    Column(_("Host institution"), attribute("call.host.name")),
    Column(_("Nationality"), attribute("nationality.name")),
    Column(_("Gender"), label("gender")),
    Column(_("Field of study"), attribute("field_of_study")),
    Column(_("Status"), label("status")),
    Column(_("Award proposed"), attribute("award_pending")),
    Column(_("Submitted on"), attribute("submitted_on")),
    Column(_("Weighted score"), attribute("weighted_score")),
    Column(_("Reviews in"), attribute("reviews_completed")),
    Column(_("Reviews assigned"), attribute("reviews_assigned")),
    Column(_("Awarded on"), day_of("awarded_at")),
)


def applications(request) -> Table:
    user = request.user
    require_workspace(user, Perm.VIEW_APPLICATION)
    rows = listed_rows(request, application_filters(request).qs, APPLICATION_COLUMNS)
    applicant = APPLICANT_COLUMNS if shows_personal_columns(user) else ()
    columns = (Column(_("Reference"), reference), *applicant, *APPLICATION_FIELDS)
    return Table("scholarship-applications", columns, rows, _("Scholarship applications"))


def _award_state(application) -> str:
    return str(_("Proposed") if application.award_pending else _("Approved"))


AWARD_COLUMNS = (
    Column(_("Reference"), reference),
    Column(_("Scholar"), attribute("applicant_name"), personal=True),
    Column(_("Call"), attribute("call.title")),
    Column(_("Programme"), attribute("call.programme.code")),
    Column(_("Host institution"), attribute("call.host.name")),
    Column(_("Award"), _award_state),
    Column(_("Proposed by"), person("award_proposed_by")),
    Column(_("Proposed on"), day_of("award_proposed_at")),
    Column(_("Reason for the proposal"), attribute("award_proposal_note")),
    Column(_("Approved by"), person("awarded_by")),
    Column(_("Approved on"), day_of("awarded_at")),
    Column(_("Status"), label("status")),
    Column(_("Stipend per period"), amount("call.stipend_amount", "call.stipend_currency")),
    Column(_("Currency"), attribute("call.stipend_currency_id")),
    Column(_("Stipend frequency"), label("call.stipend_frequency")),
)


def awards(request) -> Table:
    """The award page's proposals waiting for approval, then every award approved (the page shows the latest)."""
    require_workspace(request.user, Perm.VIEW_APPLICATION)
    rows = selectors.awards_and_proposals(user=request.user)
    return Table("scholarship-awards", AWARD_COLUMNS, rows, _("Awards"))


REVIEW_STATES = {"recused": _("Recused"), "completed": _("Scored"), "pending": _("To score")}

# The reviewer's own assignments: the page shows them the applicant, whatever else their role allows.
REVIEW_COLUMNS = (
    Column(_("Applicant"), attribute("application.applicant_name")),
    Column(_("Reference"), lambda review: application_reference(review.application_id)),
    Column(_("Nationality"), attribute("application.nationality.name")),
    Column(_("Field of study"), attribute("application.field_of_study")),
    Column(_("Call"), attribute("application.call.title")),
    Column(_("Call closes"), attribute("application.call.closes_on")),
    Column(_("Application status"), label("application.status")),
    Column(_("My review"), lambda review: str(REVIEW_STATES[review.state])),
    Column(_("Scored on"), day_of("completed_at")),
    Column(_("Conflict of interest declared on"), day_of("conflict_declared_at")),
)


def reviews(request) -> Table:
    require_workspace(request.user, Perm.REVIEW_APPLICATION)
    return Table("my-reviews", REVIEW_COLUMNS, selectors.my_reviews(user=request.user), _("My reviews"))
