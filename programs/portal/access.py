"""Who may use the partner portal's pages."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids


def require_portal_user(user) -> None:
    """The portal shows one organisation's side of things: it needs the permission and an organisation.

    Without a membership there is nothing to scope to: an administrator holds every permission but would
    otherwise see, through pages written for one partner, what every partner sees.
    """
    require_perm(user, Perm.ACCESS_PORTAL)
    if not user_organisation_ids(user):
        raise PermissionDenied(_("Your account is not linked to a partner organisation."))
