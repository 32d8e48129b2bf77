"""The shipment and its packing list on one form: drafting a shipment, and changing a draft."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.pages import posted, refused_edit, workspace_page
from cooperation.risk import partner_risk_flags
from cooperation.roles import Perm
from programs.shipments import selectors, services
from programs.shipments.forms import (
    ItemFormSet,
    ShipmentForm,
)
from programs.shipments.models import Shipment, ShipmentItem

# --- The shipment and its packing list, on one form -------------------------------------------------------------


def _packing_list_lines(formset) -> tuple[list, list]:
    """The rows that ask for something, as lines for ``packing_list_save``, and the forms they came from."""
    lines, line_forms = [], []
    for form, item in formset.rows():
        if item is None:
            line = services.PackingListLine(None, form.item_values())
        else:
            line = services.PackingListLine(item, {} if form.removing else form.changed_item_values(), form.removing)
        lines.append(line)
        line_forms.append(form)
    return lines, line_forms


def _save_packing_list(form, formset, shipment: Shipment | None, user) -> Shipment | None:
    """The shipment and its item rows through ``packing_list_save``; None, with every error in place, when refused.

    The shipment's service runs even when an item row is invalid, so the officer sees every error at once."""
    if not form.is_valid():
        formset.is_valid()
        return None
    lines, line_forms = _packing_list_lines(formset) if formset.is_valid() else (None, [])
    try:
        return services.packing_list_save(
            saved_by=user,
            shipment=shipment,
            values=form.shipment_values(),
            waybill=(form.cleaned_data.get("waybill") or None) if shipment is None else None,
            lines=lines,
            risk_acknowledged=bool(form.cleaned_data.get("risk_acknowledged")),
        )
    except services.PackingListRefused as refused:
        if refused.shipment_error is not None:
            add_service_error(form, refused.shipment_error)
        for index, error in refused.line_errors.items():
            add_service_error(line_forms[index], error)
        return None


def _shipment_form_page(request, form, formset, shipment: Shipment | None, done: str):
    if request.method == "POST":
        saved = _save_packing_list(form, formset, shipment, request.user)
        if saved is not None:
            messages.success(request, done % {"waybill": saved.waybill})
            return redirect("shipments:detail", pk=saved.pk)
        if shipment is not None:
            shipment.refresh_from_db()  # the form or the service set the refused values on it
    context = {"form": form, "formset": formset, "shipment": shipment, "risk_flags": []}
    if form.chosen_consignee is not None:
        context["risk_flags"] = partner_risk_flags(form.chosen_consignee)
    return render(request, "shipments/shipment_form.html", context)


@workspace_page(perm=Perm.ADD_SHIPMENT)
def shipment_create(request):
    form = ShipmentForm(posted(request), user=request.user)
    formset = ItemFormSet(posted(request))
    return _shipment_form_page(request, form, formset, None, _("Shipment %(waybill)s was saved as a draft."))


@workspace_page(object_page=True)
def shipment_edit(request, pk):
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_SHIPMENT)
    if refused := refused_edit(request, shipment, services.shipment_move_refusal, "shipments:detail"):
        return refused
    items = ShipmentItem.objects.filter(shipment=shipment).select_related("shipment", "currency").order_by("pk")
    form = ShipmentForm(posted(request), instance=shipment, user=request.user)
    formset = ItemFormSet(posted(request), items=items)
    return _shipment_form_page(request, form, formset, shipment, _("Shipment %(waybill)s was saved."))
