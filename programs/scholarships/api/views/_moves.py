"""A move on one record through the API: the permission on a record the user may see, then one service."""

from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import record_action
from cooperation.roles import Perm


def move_action(*, perm: Perm, **documented):
    return record_action(permission=perm_on_visible_record(perm), **documented)
