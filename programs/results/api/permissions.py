"""Permissions of the results API beyond the shared ones (cooperation.api.permissions)."""

from cooperation.api.permissions import RecordFirstPermission
from cooperation.roles import Perm


class FrameworkPermission(RecordFirstPermission):
    """A programme's framework (results, indicators, targets, periods) is read with one permission and built with
    another, whichever of its records a request is about."""

    perms_map = {
        **{method: [Perm.VIEW_RESULT.value] for method in ("GET", "HEAD", "OPTIONS")},
        **{method: [Perm.CHANGE_FRAMEWORK.value] for method in ("POST", "PUT", "PATCH", "DELETE")},
    }
