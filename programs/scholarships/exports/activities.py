"""Exchange activities as files: the officers' list and the partner portal's."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Column, Table, attribute
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships import selectors
from programs.scholarships.exports._common import label, require_portal
from programs.scholarships.filters import ActivityListFilter


def _partners(activity) -> str:
    return "; ".join(organisation.name for organisation in activity.partners.all())


ACTIVITY_COLUMNS = (
    Column(_("Title"), attribute("title")),
    Column(_("Programme"), attribute("programme.code")),
    Column(_("Kind"), label("kind")),
    Column(_("Starts on"), attribute("starts_on")),
    Column(_("Ends on"), attribute("ends_on")),
    Column(_("City"), attribute("city")),
    Column(_("Country"), attribute("country.name")),
    Column(_("Host"), attribute("host.name")),
    Column(_("Partners involved"), _partners),
    Column(_("Participants"), attribute("participants_count")),
    Column(_("Women"), attribute("women")),
    Column(_("Men"), attribute("men")),
    Column(_("Other / not stated"), attribute("other_gender")),
    Column(_("Status"), label("status")),
)


def activities(request) -> Table:
    """The activity list with its filters (the page's ``list_view`` reads the same selector through them)."""
    require_workspace(request.user, Perm.VIEW_EXCHANGE_ACTIVITY)
    filters = ActivityListFilter(request.GET or None, queryset=selectors.activity_list(user=request.user))
    rows = filters.qs.prefetch_related("partners")
    return Table("exchange-activities", ACTIVITY_COLUMNS, rows, _("Exchange activities"))


def portal_activities(request) -> Table:
    """The activities the partner user's organisation hosts or takes part in, and its part in each."""
    user = request.user
    require_portal(user, Perm.VIEW_EXCHANGE_ACTIVITY)
    own = set(user_organisation_ids(user))

    def our_part(activity) -> str:
        return str(_("Host") if activity.host_id in own else _("Involved"))

    columns = (*ACTIVITY_COLUMNS[:8], Column(_("Our part"), our_part), *ACTIVITY_COLUMNS[8:])
    rows = selectors.activity_list(user=user).order_by("-starts_on", "title").prefetch_related("partners")
    return Table("our-activities", columns, rows, _("Our activities"))
