"""Partner portal pages for goods: shipments addressed to the user's organisation, and confirming what arrived.

A partner user reads only what the shipment selectors let them see (shipments to their own organisation, once
the packing list is ready); any other id answers 404 before any input is read. The one write, a receipt, goes
through ``receipt_confirm``, which checks the counts against what was sent and counted before.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.access import require_perm
from cooperation.roles import Perm
from programs.portal.access import portal_page
from programs.shipments import selectors, services
from programs.shipments.files import photo_response
from programs.shipments.models import ShipmentStatus
from programs.shipments.portal_forms import ReceiptForm, ReceiptLineFormSet, add_receipt_error
from programs.shipments.templatetags.shipments_portal import quantity

SHIPMENTS_PER_PAGE = 25


def portal_shipments(user, today):
    """The shipments to the user's organisation as the portal lists them (and exports them), newest first."""
    return selectors.shipment_list(user=user, today=today).order_by("-created_at", "-pk")


@portal_page(perm=Perm.VIEW_SHIPMENT)
def shipment_list(request):
    today = timezone.localdate()
    shipments = portal_shipments(request.user, today)
    page = Paginator(shipments, SHIPMENTS_PER_PAGE).get_page(request.GET.get("page"))
    for shipment in page.object_list:
        shipment.days_late = selectors.days_late(shipment, today)
    return render(request, "shipments/portal/shipment_list.html", {"page_obj": page, "shipments": page.object_list})


def _items(user, shipment) -> list:
    return list(selectors.shipment_items(user=user, shipment=shipment))


@portal_page()
def shipment_detail(request, pk):
    today = timezone.localdate()
    shipment = selectors.shipment_get(user=request.user, pk=pk, today=today)
    items = _items(request.user, shipment)
    context = {
        "shipment": shipment,
        "days_late": selectors.days_late(shipment, today),
        "items": items,
        "events": selectors.shipment_events(user=request.user, shipment=shipment),
        "receipts": selectors.shipment_receipts(user=request.user, shipment=shipment),
        "can_receive": services.receipt_refusal(shipment, request.user) is None,
    }
    return render(request, "shipments/portal/shipment_detail.html", context)


def _posted_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return None


def _already_recorded(request, shipment, receipt):
    """A submission sent again (a retry after a dropped connection, a second tap): the same page as the first
    time, and nothing counted twice."""
    messages.info(
        request,
        _("This receipt was already recorded on %(date)s; nothing was counted twice.")
        % {"date": formats.date_format(timezone.localtime(receipt.created_at), "DATETIME_FORMAT")},
    )
    return redirect("shipments_portal:detail", pk=shipment.pk)


@portal_page(methods=("GET", "POST"))
def receive(request, pk):
    # Through the selector first: another organisation's shipment is a 404 before any input is read.
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_RECEIPT)
    if request.method == "POST":
        # Before the form: once the first sending counted the goods, the items still to count have changed.
        earlier = selectors.receipt_by_key(user=request.user, shipment=shipment, key=_posted_key(request))
        if earlier is not None:
            return _already_recorded(request, shipment, earlier)
    items = _items(request.user, shipment)
    to_count = [item for item in items if item.remaining > 0]
    if services.receipt_refusal(shipment, request.user) is not None:
        return render(request, "shipments/portal/receive.html", {"shipment": shipment, "items": items})

    data = request.POST if request.method == "POST" else None
    form = ReceiptForm(data, request.FILES if data is not None else None)
    formset = ReceiptLineFormSet(data, items=to_count, prefix="lines")
    if data is not None and form.is_valid() and formset.is_valid():
        lines, line_forms = formset.lines()
        try:
            receipt = services.receipt_confirm(
                shipment=shipment, received_by=request.user, lines=lines, **form.cleaned_data
            )
        except ValidationError as error:
            add_receipt_error(error, form=form, line_forms=line_forms)
        else:
            if receipt.repeated:  # the same submission, sent at the same moment as the first
                return _already_recorded(request, shipment, receipt)
            messages.success(request, _receipt_message(request.user, shipment))
            return redirect("shipments_portal:detail", pk=shipment.pk)
    context = {"shipment": shipment, "items": items, "form": form, "formset": formset, "can_receive": True}
    return render(request, "shipments/portal/receive.html", context)


def _receipt_message(user, shipment) -> str:
    if shipment.status == ShipmentStatus.RECEIVED:
        return _("Thank you: every item of shipment %(waybill)s is accounted for, and the shipment is received.") % {
            "waybill": shipment.waybill
        }
    remaining = [item for item in _items(user, shipment) if item.remaining > 0]
    still = "; ".join(f"{item.description}: {quantity(item.remaining)} {item.unit}" for item in remaining)
    return ngettext(
        "Thank you: your receipt is recorded. One item is still to be counted — %(remaining)s.",
        "Thank you: your receipt is recorded. %(count)d items are still to be counted — %(remaining)s.",
        len(remaining),
    ) % {"count": len(remaining), "remaining": still}


@portal_page()
def receipt_photo(request, pk):
    """A photo of a receipt of a shipment to the user's organisation; 404 for anyone else."""
    return photo_response(selectors.receipt_photo_get(user=request.user, pk=pk))
