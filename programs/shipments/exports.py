"""The shipment lists as files (see cooperation.exports): the officers' list and its items, the discrepancies
found on receipt, and the partner portal's shipments, each as its page shows it to the viewer."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Column, Table, attribute
from cooperation.money import quantize
from cooperation.pages import require_workspace
from cooperation.roles import Perm
from programs.portal.access import require_portal_user
from programs.shipments import selectors
from programs.shipments.models import Shipment
from programs.shipments.portal_views import portal_shipments
from programs.shipments.views.lists import shipment_filters


def _label(field: str):
    """A column value: the display label of the row's choice ``field``."""
    return lambda row: str(getattr(row, f"get_{field}_display")())


def _money(amount: str, currency: str):
    """A column value: ``amount`` rounded to the minor unit of the row's ``currency``."""
    read_amount, read_currency = attribute(amount), attribute(currency)

    def value(row):
        figure, unit = read_amount(row), read_currency(row)
        return None if figure is None or unit is None else quantize(figure, unit)

    return value


def _days_late(today):
    return lambda shipment: selectors.days_late(shipment, today)


def _shipment_columns(today) -> tuple[Column, ...]:
    return (
        Column(_("Waybill"), attribute("waybill")),
        Column(_("Programme"), attribute("programme.code")),
        Column(_("Donor"), attribute("donor.name")),
        Column(_("Consignor"), attribute("consignor.name")),
        Column(_("Consignee"), attribute("consignee.name")),
        Column(_("Origin country"), attribute("origin_country.name")),
        Column(_("Origin place"), attribute("origin_place")),
        Column(_("Destination country"), attribute("destination_country.name")),
        Column(_("Destination place"), attribute("destination_place")),
        Column(_("Status"), _label("status")),
        Column(_("Mode"), _label("mode")),
        Column(_("Carrier"), attribute("carrier")),
        Column(_("Transport reference"), attribute("transport_reference")),
        Column(_("Items"), attribute("item_count")),
        Column(_("Weight (kg)"), attribute("total_weight_kg")),
        Column(_("Planned dispatch"), attribute("planned_dispatch")),
        Column(_("Expected arrival"), attribute("expected_arrival")),
        Column(_("Dispatched on"), attribute("dispatched_on")),
        Column(_("Arrived on"), attribute("arrived_on")),
        Column(_("Received on"), attribute("received_on")),
        Column(_("Delayed"), attribute("is_delayed")),
        Column(_("Days late"), _days_late(today)),
        Column(_("Damaged or lost goods"), attribute("has_discrepancy")),
    )


def shipments(request) -> Table:
    require_workspace(request.user, Perm.VIEW_SHIPMENT)
    rows = shipment_filters(request).qs
    return Table("shipments", _shipment_columns(timezone.localdate()), rows, _("Shipments"))


ITEM_COLUMNS = (
    Column(_("Waybill"), attribute("shipment.waybill")),
    Column(_("Programme"), attribute("shipment.programme.code")),
    Column(_("Consignee"), attribute("shipment.consignee.name")),
    Column(_("Shipment status"), lambda item: str(item.shipment.get_status_display())),
    Column(_("Category"), _label("category")),
    Column(_("Description"), attribute("description")),
    Column(_("Quantity sent"), attribute("quantity")),
    Column(_("Unit"), attribute("unit")),
    Column(_("Weight per unit (kg)"), attribute("unit_weight_kg")),
    Column(_("Weight (kg)"), attribute("total_weight_kg")),
    Column(_("Value per unit"), attribute("unit_value")),
    Column(_("Currency"), attribute("currency_id")),
    Column(_("Value"), _money("total_value", "currency")),
    Column(_("Currency"), attribute("currency_id")),
    Column(_("Expiry date"), attribute("expiry_date")),
    Column(_("Donor (if not the shipment's)"), attribute("donor.name")),
    Column(_("Received in good condition"), attribute("good")),
    Column(_("Damaged"), attribute("damaged")),
    Column(_("Lost"), attribute("lost")),
    Column(_("Not yet counted"), attribute("remaining")),
)


def _in_shipment_order(shipment_rows) -> list[str]:
    """The items' order: their shipments' order on the list (its sort, or the default), then the packing list's."""
    ordering = shipment_rows.query.order_by or Shipment._meta.ordering
    return [
        f"-shipment__{field[1:]}" if field.startswith("-") else f"shipment__{field}"
        for field in ordering
        if isinstance(field, str)
    ]


def shipment_items(request) -> Table:
    """One row per item of the shipments the list shows, with its filters: what was sent and what was counted."""
    require_workspace(request.user, Perm.VIEW_SHIPMENT)
    require_perm(request.user, Perm.VIEW_SHIPMENT_ITEM)
    shipment_rows = shipment_filters(request).qs
    rows = (
        selectors.item_list(user=request.user)
        .filter(shipment__in=shipment_rows.values("pk"))
        .select_related("shipment__programme", "shipment__consignee")
        .order_by(*_in_shipment_order(shipment_rows), "shipment_id", "pk")
    )
    return Table("shipment-items", ITEM_COLUMNS, rows, _("Shipment items"))


DISCREPANCY_COLUMNS = (
    Column(_("Waybill"), attribute("receipt.shipment.waybill")),
    Column(_("Programme"), attribute("receipt.shipment.programme.code")),
    Column(_("Consignee"), attribute("receipt.shipment.consignee.name")),
    Column(_("Item"), attribute("item.description")),
    Column(_("Category"), lambda line: str(line.item.get_category_display())),
    Column(_("Damaged"), attribute("damaged")),
    Column(_("Lost"), attribute("lost")),
    Column(_("Unit"), attribute("item.unit")),
    Column(_("Reason"), attribute("reason")),
    Column(_("Value at stake"), _money("value_at_stake", "item.currency")),
    Column(_("Currency"), attribute("item.currency_id")),
    Column(_("Received on"), attribute("receipt.received_on")),
    Column(_("Received by"), attribute("receipt.received_by.get_full_name"), personal=True),
)


def discrepancies(request) -> Table:
    require_workspace(request.user, Perm.VIEW_RECEIPT)
    rows = selectors.discrepancy_list(user=request.user)
    return Table("discrepancies", DISCREPANCY_COLUMNS, rows, _("Discrepancies"))


def _portal_columns(today) -> tuple[Column, ...]:
    return (
        Column(_("Waybill"), attribute("waybill")),
        Column(_("Programme"), attribute("programme.code")),
        Column(_("Programme title"), attribute("programme.title")),
        Column(_("From (place)"), attribute("origin_place")),
        Column(_("From (country)"), attribute("origin_country.name")),
        Column(_("To (place)"), attribute("destination_place")),
        Column(_("To (country)"), attribute("destination_country.name")),
        Column(_("Expected arrival"), attribute("expected_arrival")),
        Column(_("Days late"), _days_late(today)),
        Column(_("Items"), attribute("item_count")),
        Column(_("Status"), _label("status")),
        Column(_("Damaged or lost goods"), attribute("has_discrepancy")),
    )


def portal_shipment_list(request) -> Table:
    """The portal's list: only the shipments addressed to the partner user's own organisation."""
    require_portal_user(request.user)
    require_perm(request.user, Perm.VIEW_SHIPMENT)
    today = timezone.localdate()
    rows = portal_shipments(request.user, today)
    return Table("shipments-to-us", _portal_columns(today), rows, _("Shipments to us"))
