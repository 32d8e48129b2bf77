"""Every write to shipments, their packing lists, tracking events and receipts.

Each business action is one function: keyword-only arguments, the acting user, its guard first, validation
before anything is saved, one transaction. The statuses a move may start from are declared once, in
``SHIPMENT_MOVES``; a move's guard (``shipment_move_refusal``, ``receipt_refusal``) says whether this user may make
it now and why not, with a stable code (``ShipmentRefusal`` or the kernel's ``Refused``); ``lock_for`` reloads the
shipment under a row lock before the guard is asked again. Every status change writes a tracking event.

The names below are the package's public ones: ``from programs.shipments import services;
services.shipment_dispatch(...)``.
"""

from programs.shipments.services._common import (
    CUSTOMS_KINDS,
    DECIMAL_ITEM_FIELDS,
    ITEM_FIELDS,
    LARGEST_QUANTITY,
    RECEIPT_QUANTITIES,
    SHIPMENT_FIELDS,
    SHIPMENT_MOVES,
    ShipmentRefusal,
)
from programs.shipments.services.guards import MOVE_PERMS, receipt_refusal, shipment_move_refusal
from programs.shipments.services.items import (
    PackingListLine,
    PackingListRefused,
    item_add,
    item_remove,
    item_update,
    packing_list_save,
    tracking_event_add,
)
from programs.shipments.services.receipts import MAX_PHOTOS, ReceiptLinesInvalid, max_photo_bytes, receipt_confirm
from programs.shipments.services.shipments import (
    MOVE_SERVICES,
    shipment_approve_dispatch,
    shipment_arrive,
    shipment_cancel,
    shipment_create,
    shipment_dispatch,
    shipment_mark_in_transit,
    shipment_mark_lost,
    shipment_mark_ready,
    shipment_move,
    shipment_reopen,
    shipment_reschedule,
    shipment_update,
)

__all__ = [
    "CUSTOMS_KINDS",
    "DECIMAL_ITEM_FIELDS",
    "ITEM_FIELDS",
    "LARGEST_QUANTITY",
    "MAX_PHOTOS",
    "MOVE_PERMS",
    "MOVE_SERVICES",
    "RECEIPT_QUANTITIES",
    "SHIPMENT_FIELDS",
    "SHIPMENT_MOVES",
    "PackingListLine",
    "PackingListRefused",
    "ReceiptLinesInvalid",
    "ShipmentRefusal",
    "item_add",
    "item_remove",
    "item_update",
    "max_photo_bytes",
    "packing_list_save",
    "receipt_confirm",
    "receipt_refusal",
    "shipment_approve_dispatch",
    "shipment_arrive",
    "shipment_cancel",
    "shipment_create",
    "shipment_dispatch",
    "shipment_mark_in_transit",
    "shipment_mark_lost",
    "shipment_mark_ready",
    "shipment_move",
    "shipment_move_refusal",
    "shipment_reopen",
    "shipment_reschedule",
    "shipment_update",
    "tracking_event_add",
]
