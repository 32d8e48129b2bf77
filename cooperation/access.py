"""Server-side permission checks shared by services, views and the API."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cooperation.roles import Perm


def require_perm(user, perm: Perm) -> None:
    if not (user and user.is_authenticated and user.is_active and user.has_perm(perm)):
        raise PermissionDenied(_("You do not have permission to do this."))


def sees_everything(user) -> bool:
    """Officers, managers, auditors and administrators see every record of the organisation."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.VIEW_ALL_PROGRAMMES))
