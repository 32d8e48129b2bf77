"""The shipment list, the printable waybill and the discrepancies found on receipt."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.forms import any_choices, dress_filters
from cooperation.pages import Column, filter_fields, list_page, workspace_page
from cooperation.roles import Perm
from programs.shipments import selectors, waybills
from programs.shipments.filters import ShipmentFilter

SHIPMENT_COLUMNS = [
    Column(gettext_lazy("Waybill"), "waybill"),
    Column(gettext_lazy("Consignee")),
    Column(gettext_lazy("Destination")),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Mode")),
    Column(gettext_lazy("Items"), numeric=True),
    Column(gettext_lazy("Weight (kg)"), numeric=True),
    Column(gettext_lazy("Expected arrival"), "expected_arrival"),
    Column(gettext_lazy("Flags")),
]

# Filters shown without opening "More filters"; the rest stay folded so a phone reaches the table.
MAIN_FILTERS = ("q", "status", "delayed", "has_discrepancy")

# --- The list ---------------------------------------------------------------------------------------------------


def shipment_filters(request, rows=None) -> ShipmentFilter:
    """The list's filters on the shipments the user may see (``rows``, else with their figures), as the page shows
    them; ``.qs`` is the list in its order, which the page and its export share. ``request`` needs only ``user``
    and ``GET``."""
    rows = selectors.shipment_list(user=request.user) if rows is None else rows
    filters = ShipmentFilter(request.GET or None, queryset=rows, request=request)
    dress_filters(
        filters.form,
        search_help=_("Waybill, consignee, place, carrier or transport reference."),
        checkboxes=("status",),
        any_of=("consignee", "destination_country", "programme", "mode"),
    )
    for name, yes, no in (
        ("delayed", _("Delayed only"), _("Not delayed")),
        ("has_discrepancy", _("With discrepancies"), _("Without discrepancies")),
    ):
        filters.form.fields[name].widget = forms.Select(choices=any_choices([("true", yes), ("false", no)]))
    return filters


@workspace_page(perm=Perm.VIEW_SHIPMENT)
def shipment_list(request):
    filters = shipment_filters(request, selectors.shipment_rows(user=request.user))
    return list_page(
        request,
        "shipments/shipment_list.html",
        filters.qs.values_list("pk", flat=True),
        name="shipments",
        prepare=lambda ids: _with_days_late(selectors.shipment_page(ids, user=request.user)),
        columns=SHIPMENT_COLUMNS,
        **filter_fields(request, filters.form, MAIN_FILTERS, hidden=("ordering",)),
        ordering=request.GET.get("ordering", ""),
        can_add=request.user.has_perm(Perm.ADD_SHIPMENT),
    )


def _with_days_late(shipments):
    today = timezone.localdate()
    for shipment in shipments:
        shipment.days_late = selectors.days_late(shipment, today)
    return shipments


# --- The printable waybill --------------------------------------------------------------------------------------


@workspace_page(object_page=True, perm=Perm.VIEW_SHIPMENT)
def shipment_waybill(request, pk):
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    if shipment.is_draft:
        receipt_link = receipt_qr = ""
    else:
        receipt_link = waybills.receipt_link(shipment)
        receipt_qr = waybills.receipt_qr_svg(
            shipment, title=_("Receipt page of waybill %(waybill)s") % {"waybill": shipment.waybill}
        )
    return render(
        request,
        "shipments/waybill.html",
        {
            "shipment": shipment,
            "receipt_link": receipt_link,
            "receipt_qr": receipt_qr,
            "items": selectors.shipment_items(user=request.user, shipment=shipment),
            "totals": selectors.shipment_totals(shipment=shipment),
            "printed_on": timezone.localdate(),
            "signature_parties": [_("Consignor"), _("Carrier"), _("Consignee")],
        },
    )


# --- Discrepancies ----------------------------------------------------------------------------------------------


@workspace_page(perm=Perm.VIEW_RECEIPT)
def discrepancy_list(request):
    return list_page(
        request,
        "shipments/discrepancy_list.html",
        selectors.discrepancy_list(user=request.user),
        name="lines",
        totals=selectors.discrepancy_totals(user=request.user),
    )
