"""Who may use the partner portal's pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

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


def portal_page(*, perm: str | None = None, methods: tuple[str, ...] = ("GET",)):
    """A portal page: answers only ``methods``, needs a logged-in portal user with an organisation and, when given,
    ``perm``. A page about one record asks for its permission itself after finding the record through its
    selector, so another organisation's id is a 404 before anything else is said."""

    def decorator(view):
        @require_http_methods(list(methods))
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_portal_user(request.user)
            if perm is not None:
                require_perm(request.user, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
