"""Permissions of the shipment API beyond the shared ones (cooperation.api.permissions)."""

from cooperation.api.permissions import RecordFirstPermission


class ItemPermission(RecordFirstPermission):
    # Removing an item from a draft's packing list is a change of the list, not a separate right.
    perms_map = {**RecordFirstPermission.perms_map, "DELETE": ["%(app_label)s.change_%(model_name)s"]}
