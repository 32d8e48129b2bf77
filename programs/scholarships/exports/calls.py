"""Scholarship calls as a file."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import listed_rows, require_workspace
from cooperation.roles import Perm
from programs.scholarships.exports._common import amount, label, person
from programs.scholarships.models import CallStatus
from programs.scholarships.views.calls import CALL_COLUMNS, call_filters


def _state(call) -> str:
    return str(CallStatus(call.status).label)


def _eligible(call) -> str:
    return "; ".join(country.name for country in call.eligible_countries.all())


def _fields(call) -> str:
    return "; ".join(str(field) for field in call.fields_of_study or ())


CALL_EXPORT_COLUMNS = (
    Column(_("Title"), attribute("title")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Host institution"), attribute("host.name")),
    Column(_("Level"), label("level")),
    Column(_("Fields of study"), _fields),
    Column(_("Eligible nationalities"), _eligible),
    Column(_("State"), _state),
    Column(_("Opens on"), attribute("opens_on")),
    Column(_("Closes on"), attribute("closes_on")),
    Column(_("Applications"), attribute("application_count")),
    Column(_("Awards made"), attribute("awards_made")),
    Column(_("Number of awards"), attribute("awards_available")),
    Column(_("Stipend per period"), amount("stipend_amount", "stipend_currency")),
    Column(_("Currency"), attribute("stipend_currency_id")),
    Column(_("Stipend frequency"), label("stipend_frequency")),
    Column(_("Duration (months)"), attribute("duration_months")),
    Column(_("Responsible officer"), person("responsible_officer")),
)


def calls(request) -> Table:
    require_workspace(request.user, Perm.VIEW_CALL)
    rows = listed_rows(request, call_filters(request).qs, CALL_COLUMNS).prefetch_related("eligible_countries")
    return Table("scholarship-calls", CALL_EXPORT_COLUMNS, rows, _("Scholarship calls"))
