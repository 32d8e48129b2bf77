"""Reads of shipments, their items, journeys, receipts and discrepancies, scoped to who asks.

Staff who see everything read every shipment; a partner user reads only the shipments addressed to their
organisation (the consignee), and gets 404 for any other. Totals are derived from the items and receipt
lines in SQL and never summed across currencies; the managers' dashboard sums each shipment's value per currency
(``ShipmentValue``, which the services rewrite with the items and receipts) instead. A list or the dashboard costs
the same number of queries for five shipments as for five thousand.

The names below are the package's public ones: ``from programs.shipments import selectors;
selectors.shipment_list(user=...)``.
"""

from programs.shipments.selectors._common import DISCREPANCY, EXPIRY_WARNING_DAYS
from programs.shipments.selectors.dashboard import (
    CountryAmount,
    DiscrepancyRate,
    ShipmentDashboard,
    shipment_dashboard,
)
from programs.shipments.selectors.discrepancies import (
    DiscrepancyCurrency,
    DiscrepancySummary,
    DiscrepancyUnit,
    discrepancy_summary,
)
from programs.shipments.selectors.hub import (
    PartnerShipments,
    ShipmentFigures,
    StatusCount,
    partner_shipment_figures,
    programme_shipment_figures,
)
from programs.shipments.selectors.journeys import (
    DiscrepancyTotal,
    ShipmentNotifications,
    discrepancy_list,
    discrepancy_totals,
    receipt_by_key,
    receipt_photo_get,
    shipment_events,
    shipment_notifications,
    shipment_receipts,
)
from programs.shipments.selectors.lists import (
    ExpiryFlag,
    event_list,
    item_list,
    item_page,
    item_rows,
    receipt_list,
)
from programs.shipments.selectors.shipments import (
    CurrencyAmount,
    ShipmentTotals,
    days_late,
    delayed_condition,
    delayed_shipments,
    discrepancy_condition,
    expired_items,
    expiry_warnings,
    shipment_get,
    shipment_items,
    shipment_list,
    shipment_page,
    shipment_rows,
    shipment_totals,
)

__all__ = [
    "DISCREPANCY",
    "EXPIRY_WARNING_DAYS",
    "CountryAmount",
    "CurrencyAmount",
    "DiscrepancyCurrency",
    "DiscrepancyRate",
    "DiscrepancySummary",
    "DiscrepancyTotal",
    "DiscrepancyUnit",
    "ExpiryFlag",
    "PartnerShipments",
    "ShipmentDashboard",
    "ShipmentFigures",
    "ShipmentNotifications",
    "ShipmentTotals",
    "StatusCount",
    "days_late",
    "delayed_condition",
    "delayed_shipments",
    "discrepancy_condition",
    "discrepancy_list",
    "discrepancy_summary",
    "discrepancy_totals",
    "event_list",
    "expired_items",
    "expiry_warnings",
    "item_list",
    "item_page",
    "item_rows",
    "partner_shipment_figures",
    "programme_shipment_figures",
    "receipt_by_key",
    "receipt_list",
    "receipt_photo_get",
    "shipment_dashboard",
    "shipment_events",
    "shipment_get",
    "shipment_items",
    "shipment_list",
    "shipment_notifications",
    "shipment_page",
    "shipment_receipts",
    "shipment_rows",
    "shipment_totals",
]
