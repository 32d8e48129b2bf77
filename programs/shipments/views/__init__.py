"""Officer workspace pages for shipments: the list, the packing list form, the shipment's page, the waybill.

Every move on a shipment is a POST to its own URL that calls exactly one shipment service. A refusal, or bad
input, shows the shipment's page again with the error next to the field and nothing changed; never a 500.
"""

from programs.shipments.views.detail import MOVES, shipment_detail, shipment_move
from programs.shipments.views.lists import discrepancy_list, shipment_list, shipment_waybill
from programs.shipments.views.packing_list import shipment_create, shipment_edit
from programs.shipments.views.photos import receipt_photo

__all__ = [
    "MOVES",
    "discrepancy_list",
    "receipt_photo",
    "shipment_create",
    "shipment_detail",
    "shipment_edit",
    "shipment_list",
    "shipment_move",
    "shipment_waybill",
]
