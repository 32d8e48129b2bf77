"""Officer workspace pages for shipments: the list, the packing list form, the shipment's page, the waybill.

Every move on a shipment is a POST to its own URL that calls exactly one shipment service. A refusal, or bad
input, shows the shipment's page again with the error next to the field and nothing changed; never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.history import HistorySource, history_entries
from cooperation.pages import Column, header_cells, paginate, posted, workspace_page
from cooperation.roles import Perm
from programs.shipments import selectors, services
from programs.shipments.filters import ShipmentFilter
from programs.shipments.forms import (
    ArriveForm,
    DispatchForm,
    EventForm,
    InTransitForm,
    ItemFormSet,
    LostForm,
    ReasonForm,
    RescheduleForm,
    ShipmentForm,
)
from programs.shipments.models import DELIVERED, Shipment, ShipmentItem, ShipmentStatus

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
BEFORE_DISPATCH = (ShipmentStatus.DRAFT, ShipmentStatus.READY)


# --- The list ---------------------------------------------------------------------------------------------------


def _list_filters(request) -> ShipmentFilter:
    filters = ShipmentFilter(request.GET or None, queryset=selectors.shipment_list(user=request.user), request=request)
    fields = filters.form.fields
    fields["q"].widget = forms.TextInput(attrs={"type": "search"})
    fields["q"].help_text = _("Waybill, consignee, place, carrier or transport reference.")
    fields["status"].widget = forms.CheckboxSelectMultiple(choices=fields["status"].choices)
    for name, yes, no in (
        ("delayed", _("Delayed only"), _("Not delayed")),
        ("has_discrepancy", _("With discrepancies"), _("Without discrepancies")),
    ):
        fields[name].widget = forms.Select(choices=[("", _("Any")), ("true", yes), ("false", no)])
    for name in ("consignee", "destination_country", "programme", "mode"):
        fields[name].empty_label = _("Any")
    fields["mode"].choices = [("", _("Any")), *fields["mode"].choices[1:]]
    return filters


@workspace_page()
def shipment_list(request):
    require_perm(request.user, Perm.VIEW_SHIPMENT)
    filters = _list_filters(request)
    page_obj = paginate(request, filters.qs)
    today = timezone.localdate()
    for shipment in page_obj.object_list:
        shipment.days_late = selectors.days_late(shipment, today)
    fields = [field for field in filters.form if field.name != "ordering"]
    more = [field for field in fields if field.name not in MAIN_FILTERS]
    return render(
        request,
        "shipments/shipment_list.html",
        {
            "main_filters": [field for field in fields if field.name in MAIN_FILTERS],
            "more_filters": more,
            "more_filters_used": any(request.GET.get(field.name) for field in more),
            "ordering": request.GET.get("ordering", ""),
            "page_obj": page_obj,
            "shipments": page_obj.object_list,
            "columns": header_cells(SHIPMENT_COLUMNS, request.GET.get("ordering", "")),
            "can_add": request.user.has_perm(Perm.ADD_SHIPMENT),
        },
    )


# --- The shipment and its packing list, on one form -------------------------------------------------------------


class _NothingSaved(Exception):
    """Rolls back the whole save once every error of the form and of the item rows is collected."""


def _save_item_rows(formset, shipment: Shipment, user) -> bool:
    """Add, change or remove the packing list's lines; False when a row was refused (its error is on it)."""
    saved = True
    for form, item in formset.rows():
        try:
            if item is None:
                services.item_add(shipment=shipment, added_by=user, **form.item_values())
            elif form.removing:
                services.item_remove(item=item, removed_by=user)
            elif form.changed_item_values():
                services.item_update(item=item, updated_by=user, **form.changed_item_values())
        except ValidationError as error:
            add_service_error(form, error)
            saved = False
    return saved


def _save_packing_list(form, formset, save_shipment: Callable[[dict], Shipment], user) -> Shipment | None:
    """Save the shipment and its item rows in one transaction: all of it, or nothing when anything is refused.

    The shipment's service runs even when an item row is invalid, so the officer sees every error at once;
    the rollback also returns a newly issued waybill number to the counter.
    """
    try:
        with transaction.atomic():
            shipment = None
            if form.is_valid():
                try:
                    shipment = save_shipment(form)
                except ValidationError as error:
                    add_service_error(form, error)
            rows_valid = formset.is_valid()
            if shipment is None or not rows_valid or not _save_item_rows(formset, shipment, user):
                raise _NothingSaved
            return shipment
    except _NothingSaved:
        return None


def _shipment_form_page(request, form, formset, shipment: Shipment | None, save_shipment, done: str):
    if request.method == "POST":
        saved = _save_packing_list(form, formset, save_shipment, request.user)
        if saved is not None:
            messages.success(request, done % {"waybill": saved.waybill})
            return redirect("shipments:detail", pk=saved.pk)
        if shipment is not None:
            shipment.refresh_from_db()  # the service set the refused values on it
    return render(request, "shipments/shipment_form.html", {"form": form, "formset": formset, "shipment": shipment})


@workspace_page()
def shipment_create(request):
    require_perm(request.user, Perm.ADD_SHIPMENT)
    form = ShipmentForm(posted(request), user=request.user)
    formset = ItemFormSet(posted(request))

    def save(form):
        waybill = form.cleaned_data.get("waybill") or None
        return services.shipment_create(created_by=request.user, waybill=waybill, **form.shipment_values())

    return _shipment_form_page(request, form, formset, None, save, _("Shipment %(waybill)s was saved as a draft."))


@workspace_page(object_page=True)
def shipment_edit(request, pk):
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_SHIPMENT)
    if not shipment.is_draft:
        messages.error(
            request,
            _("The packing list is locked once the shipment is ready: only a draft can be edited; this one is %s.")
            % shipment.get_status_display(),
        )
        return redirect("shipments:detail", pk=shipment.pk)
    items = ShipmentItem.objects.filter(shipment=shipment).select_related("shipment", "currency").order_by("pk")
    form = ShipmentForm(posted(request), instance=shipment, user=request.user)
    formset = ItemFormSet(posted(request), items=items)

    def save(form):
        return services.shipment_update(shipment=shipment, updated_by=request.user, **form.shipment_values())

    return _shipment_form_page(request, form, formset, shipment, save, _("Shipment %(waybill)s was saved."))


# --- The shipment's page ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """A move on the shipment's page: its service, the permission it needs and the form of what it asks."""

    label: str
    perm: Perm
    call: Callable
    done: str
    form_class: type[forms.Form] | None = None
    danger: bool = False
    wants_shipment: bool = False  # the form starts from the shipment's current values


MOVES = {
    "mark_ready": Move(
        gettext_lazy("Mark ready (lock the packing list)"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user: services.shipment_mark_ready(shipment=shipment, prepared_by=user),
        gettext_lazy("The packing list of %(waybill)s is locked; a manager can now approve its dispatch."),
    ),
    "reopen": Move(
        gettext_lazy("Reopen the packing list"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, reason: services.shipment_reopen(shipment=shipment, reopened_by=user, reason=reason),
        gettext_lazy("%(waybill)s is a draft again; any approval of its dispatch was withdrawn."),
        ReasonForm,
    ),
    "approve_dispatch": Move(
        gettext_lazy("Approve dispatch"),
        Perm.APPROVE_DISPATCH,
        lambda shipment, user: services.shipment_approve_dispatch(shipment=shipment, approved_by=user),
        gettext_lazy("The dispatch of %(waybill)s was approved."),
    ),
    "dispatch": Move(
        gettext_lazy("Record dispatch"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, **data: services.shipment_dispatch(shipment=shipment, dispatched_by=user, **data),
        gettext_lazy("%(waybill)s was dispatched; the consignee is told by email."),
        DispatchForm,
        wants_shipment=True,
    ),
    "mark_in_transit": Move(
        gettext_lazy("Mark in transit"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, **data: services.shipment_mark_in_transit(shipment=shipment, updated_by=user, **data),
        gettext_lazy("%(waybill)s is in transit."),
        InTransitForm,
    ),
    "arrive": Move(
        gettext_lazy("Record arrival"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, **data: services.shipment_arrive(shipment=shipment, updated_by=user, **data),
        gettext_lazy("The arrival of %(waybill)s was recorded; the consignee can now confirm the receipt."),
        ArriveForm,
    ),
    "reschedule": Move(
        gettext_lazy("Change the expected arrival"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, **data: services.shipment_reschedule(shipment=shipment, updated_by=user, **data),
        gettext_lazy("The expected arrival of %(waybill)s was changed."),
        RescheduleForm,
        wants_shipment=True,
    ),
    "cancel": Move(
        gettext_lazy("Cancel shipment"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, reason: services.shipment_cancel(shipment=shipment, cancelled_by=user, reason=reason),
        gettext_lazy("%(waybill)s was cancelled."),
        ReasonForm,
        danger=True,
    ),
    "mark_lost": Move(
        gettext_lazy("Declare lost"),
        Perm.CHANGE_SHIPMENT,
        lambda shipment, user, **data: services.shipment_mark_lost(shipment=shipment, updated_by=user, **data),
        gettext_lazy("%(waybill)s was declared lost."),
        LostForm,
        danger=True,
    ),
    "event_add": Move(
        gettext_lazy("Add event"),
        Perm.ADD_TRACKING_EVENT,
        lambda shipment, user, **data: services.tracking_event_add(shipment=shipment, added_by=user, **data),
        gettext_lazy("The event was added to the timeline of %(waybill)s."),
        EventForm,
        wants_shipment=True,
    ),
}


@dataclass(frozen=True)
class Action:
    """A move offered on the page: a button, or a folded form when the move asks for something."""

    name: str
    label: str
    url: str
    form: forms.Form | None = None
    danger: bool = False
    disabled_reason: str = ""
    is_open: bool = False  # unfolded: its form came back with errors


def _move_form(name: str, shipment: Shipment, data=None):
    move = MOVES[name]
    if move.form_class is None:
        return None
    extra = {"shipment": shipment} if move.wants_shipment else {}
    return move.form_class(data, prefix=name, **extra)


def _offered_moves(user, shipment: Shipment) -> list[tuple[str, str]]:
    """(move, reason it is disabled or "") for the moves the shipment's status allows and ``user`` may make."""
    offered = []
    for name, move in MOVES.items():
        if name == "event_add" or not user.has_perm(move.perm):
            continue
        if shipment.status not in services.SHIPMENT_MOVES[name][0]:
            continue
        reason = ""
        if name == "approve_dispatch":
            if shipment.dispatch_approved_by_id is not None:
                continue
            if shipment.prepared_by_id == user.pk:
                reason = _("You prepared this packing list, so another manager must approve its dispatch.")
        elif name == "dispatch" and shipment.dispatch_approved_by_id is None:
            reason = _("A manager must approve the dispatch first.")
        offered.append((name, reason))
    return offered


def _actions(user, shipment: Shipment, refused: tuple[str, forms.Form | None] | None) -> list[Action]:
    refused_name, refused_form = refused or (None, None)
    actions = []
    for name, reason in _offered_moves(user, shipment):
        move = MOVES[name]
        is_refused = name == refused_name
        form = refused_form if is_refused and refused_form is not None else _move_form(name, shipment)
        url = reverse(f"shipments:{name}", args=[shipment.pk])
        actions.append(Action(name, str(move.label), url, form, move.danger, reason, is_refused))
    return actions


def _history(user, shipment: Shipment) -> list:
    require_perm(user, Perm.VIEW_HISTORY)
    return history_entries(
        [
            HistorySource(Shipment.history.filter(id=shipment.pk)),
            HistorySource(
                ShipmentItem.history.filter(shipment_id=shipment.pk),
                subject=lambda record: _("Item: %(description)s") % {"description": record.description},
            ),
        ]
    )


def _expiry_flags(shipment: Shipment, today) -> tuple[list, list]:
    """(expired, expiring soon) items while the goods have not left: expired ones block the dispatch."""
    if shipment.status not in BEFORE_DISPATCH:
        return [], []
    check_on = max(shipment.planned_dispatch, today)
    expired = list(selectors.expired_items(shipment=shipment, on=check_on))
    expired_ids = {item.pk for item in expired}
    soon = [item for item in selectors.expiry_warnings(shipment=shipment) if item.pk not in expired_ids]
    return expired, soon


def _detail_page(request, shipment: Shipment, refused=None, status: int = 200):
    user = request.user
    today = timezone.localdate()
    items = list(selectors.shipment_items(user=user, shipment=shipment))
    receipts = list(selectors.shipment_receipts(user=user, shipment=shipment))
    expired, expiring = _expiry_flags(shipment, today)
    can_add_event = user.has_perm(Perm.ADD_TRACKING_EVENT)
    event_form = None
    if can_add_event:
        refused_name, refused_form = refused or (None, None)
        event_form = refused_form if refused_name == "event_add" else _move_form("event_add", shipment)
    return render(
        request,
        "shipments/shipment_detail.html",
        {
            "shipment": shipment,
            "today": today,
            "days_late": selectors.days_late(shipment, today),
            "totals": selectors.shipment_totals(shipment=shipment),
            "items": items,
            "counting_started": bool(receipts) or shipment.status in DELIVERED,
            "before_dispatch": shipment.status in BEFORE_DISPATCH,
            "expired_items": expired,
            "expiring_items": expiring,
            "expired_ids": {item.pk for item in expired},
            "expiring_ids": {item.pk for item in expiring},
            "warning_days": selectors.EXPIRY_WARNING_DAYS,
            "receipts": receipts,
            "notifications": selectors.shipment_notifications(user=user, shipment=shipment),
            "can_resend": user.has_perm(Perm.RESEND_MESSAGE),
            "events": selectors.shipment_events(user=user, shipment=shipment),
            "event_form": event_form,
            "event_form_open": bool(refused and refused[0] == "event_add"),
            "actions": _actions(user, shipment, refused),
            "history": _history(user, shipment) if user.has_perm(Perm.VIEW_HISTORY) else None,
            "can_edit": shipment.is_draft and user.has_perm(Perm.CHANGE_SHIPMENT),
        },
        status=status,
    )


@workspace_page(object_page=True)
def shipment_detail(request, pk):
    require_perm(request.user, Perm.VIEW_SHIPMENT)
    return _detail_page(request, selectors.shipment_get(user=request.user, pk=pk))


def _problems(form: forms.Form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


@require_POST
@workspace_page(object_page=True)
def shipment_move(request, pk, move: str):
    """Run one move's service on a POST; bad input or a refusal shows the page again with the error in place."""
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    spec = MOVES[move]
    require_perm(request.user, spec.perm)
    form = _move_form(move, shipment, request.POST)
    if form is None or form.is_valid():
        try:
            spec.call(shipment, request.user, **(form.cleaned_data if form is not None else {}))
        except ValidationError as error:
            if form is not None:
                add_service_error(form, error)
                messages.error(request, _problems(form))
            else:
                messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, spec.done % {"waybill": shipment.waybill})
            anchor = "#timeline" if move == "event_add" else "#status"
            return redirect(reverse("shipments:detail", args=[shipment.pk]) + anchor)
    else:
        messages.error(request, _problems(form))
    # Reload: a refused service may have set values on the instance before it said no.
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    return _detail_page(request, shipment, refused=(move, form))


# --- The printable waybill --------------------------------------------------------------------------------------


@workspace_page(object_page=True)
def shipment_waybill(request, pk):
    require_perm(request.user, Perm.VIEW_SHIPMENT)
    shipment = selectors.shipment_get(user=request.user, pk=pk)
    return render(
        request,
        "shipments/waybill.html",
        {
            "shipment": shipment,
            "items": selectors.shipment_items(user=request.user, shipment=shipment),
            "totals": selectors.shipment_totals(shipment=shipment),
            "printed_on": timezone.localdate(),
            "signature_parties": [_("Consignor"), _("Carrier"), _("Consignee")],
        },
    )


# --- Discrepancies ----------------------------------------------------------------------------------------------


@workspace_page()
def discrepancy_list(request):
    require_perm(request.user, Perm.VIEW_RECEIPT)
    page_obj = paginate(request, selectors.discrepancy_list(user=request.user))
    return render(
        request,
        "shipments/discrepancy_list.html",
        {
            "page_obj": page_obj,
            "lines": page_obj.object_list,
            "totals": selectors.discrepancy_totals(user=request.user),
        },
    )
