"""The partner list as a file (see cooperation.exports): the page's filters and sort, with the counts other apps
register for each organisation."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from partners.contributions import organisation_counts
from partners.views import organisation_filterset


def _count_columns() -> list[Column]:
    return [Column(count.label, attribute(count.name)) for count in organisation_counts()]


def organisations(request) -> Table:
    require_workspace(request.user)
    columns = [
        Column(_("Name"), attribute("name")),
        Column(_("Acronym"), attribute("acronym")),
        Column(_("Kind"), lambda organisation: str(organisation.get_kind_display())),
        Column(_("Country"), attribute("country.name")),
        Column(_("Country code"), attribute("country_id")),
        Column(_("IATI identifier"), attribute("iati_identifier")),
        Column(_("Website"), attribute("website")),
        *_count_columns(),
        Column(_("Active"), attribute("is_active")),
    ]
    return Table("partners", columns, organisation_filterset(request).qs, _("Partner organisations"))
