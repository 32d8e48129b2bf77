from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission, DjangoModelPermissions

from cooperation.roles import Perm


class RolePermission(DjangoModelPermissions):
    """Model permissions of the user's role, reads included (auditors read, never write).

    Which rows a user reaches is the selector's business: viewsets build their
    queryset from a selector that takes the user, so a record outside a
    partner user's scope answers 404.
    """

    perms_map = {
        **DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        # A method the endpoint does not offer (DELETE of a programme) is a 405 for everyone,
        # not a 403 that would suggest some other role could do it.
        if request.method not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        return super().has_permission(request, view)

    def _queryset(self, view):
        # The check needs only the model: a viewset naming it is not asked to build its list (with its figures).
        model = getattr(view, "model", None)
        return model._default_manager.none() if model is not None else super()._queryset(view)


def perm_required(perm: Perm) -> type[BasePermission]:
    """A permission class for an action that is not a plain write of the view's model.

    Posting a progress note on a programme needs ``add_programmeupdate``, not
    ``add_programme``; the programme itself is then fetched through the
    selector, so it must still be one the user can see.
    """

    class PermRequired(BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))

    PermRequired.__name__ = PermRequired.__qualname__ = f"PermRequired[{perm.value}]"
    return PermRequired


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class RecordFirstPermission(RolePermission):
    """The role's model permissions; on one record (a URL with an id), checked once the selector found it.

    Someone who may not see the record gets 404 from the selector, and only then someone who sees it but may not
    change it gets 403: a partner user cannot learn from a 403 that another organisation's record exists.
    """

    def has_permission(self, request, view):
        if view.lookup_field not in view.kwargs:
            return super().has_permission(request, view)
        if request.method not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        return _signed_in(request.user)

    def has_object_permission(self, request, view, obj):
        return super().has_permission(request, view)


def perm_on_visible_record(perm: Perm) -> type[BasePermission]:
    """An action on one record: ``perm``, checked once the selector has found the record."""

    class PermOnVisibleRecord(BasePermission):
        def has_permission(self, request, view):
            return _signed_in(request.user)

        def has_object_permission(self, request, view, obj):
            return request.user.has_perm(perm)

    PermOnVisibleRecord.__name__ = PermOnVisibleRecord.__qualname__ = f"PermOnVisibleRecord[{perm.value}]"
    return PermOnVisibleRecord
