"""Who may do what through the scholarship API, checked after the record is found.

On one record (a URL with an id), the record is fetched through the selector first: someone who may not see
it gets 404, and only then someone who sees it but may not act on it gets 403. So a partner user cannot learn
from a 403 that another institution's scholar exists.
"""

from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import BasePermission

from cooperation.api.permissions import RolePermission
from cooperation.roles import Perm


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class RecordFirstPermission(RolePermission):
    """The role's model permissions; on one record, checked once the selector has found it."""

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
