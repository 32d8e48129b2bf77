"""The programme list as a file (see cooperation.exports): the list page's filters and sort, as the viewer sees it."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.money import quantize
from cooperation.pages import require_workspace
from programs import selectors
from programs.filters import ProgrammeFilter


def _forms(programme) -> str:
    return "; ".join(str(label) for label in programme.get_forms_display())


def _countries(programme) -> str:
    return "; ".join(country.name for country in programme.recipient_countries.all())


def _partners(programme) -> str:
    return "; ".join(f"{p.organisation} ({p.get_role_display()})" for p in programme.participations.all())


PROGRAMME_COLUMNS = (
    Column(_("Code"), attribute("code")),
    Column(_("Title"), attribute("title")),
    Column(_("Forms of cooperation"), _forms),
    Column(_("Status"), lambda programme: str(programme.get_status_display())),
    Column(_("Planned start"), attribute("planned_start")),
    Column(_("Planned end"), attribute("planned_end")),
    Column(_("Recipient countries"), _countries),
    Column(_("Budget"), lambda programme: quantize(programme.budget_amount, programme.budget_currency)),
    Column(_("Currency"), attribute("budget_currency_id")),
    Column(_("Partners and roles"), _partners),
)


def programmes(request) -> Table:
    require_workspace(request.user)
    rows = selectors.programme_list(user=request.user)
    filterset = ProgrammeFilter(request.GET or None, queryset=rows, request=request)
    return Table("programmes", PROGRAMME_COLUMNS, filterset.qs, _("Programmes"))
