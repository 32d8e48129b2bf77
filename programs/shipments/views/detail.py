"""The shipment's page and its moves: every move is a POST to its own URL that calls exactly one shipment
service, through the guard that also decides which moves the page offers."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.history import HistorySource, history_entries
from cooperation.kept import render_kept, render_refreshed
from cooperation.pages import (
    PageMove,
    move_form,
    record_actions,
    record_views,
)
from cooperation.roles import Perm
from programs.shipments import selectors, services
from programs.shipments.forms import (
    ArriveForm,
    DispatchForm,
    EventForm,
    InTransitForm,
    LostForm,
    ReasonForm,
    RescheduleForm,
)
from programs.shipments.models import DELIVERED, Shipment, ShipmentItem, ShipmentStatus

BEFORE_DISPATCH = (ShipmentStatus.DRAFT, ShipmentStatus.READY)

# --- The shipment's page ----------------------------------------------------------------------------------------


def _call(move: str):
    return lambda shipment, user, **data: services.shipment_move(move, shipment=shipment, user=user, **data)


def _current_values(shipment: Shipment) -> dict:
    return {"shipment": shipment}


MOVES = {
    "mark_ready": PageMove(
        gettext_lazy("Mark ready (lock the packing list)"),
        _call("mark_ready"),
        gettext_lazy("The packing list of %(waybill)s is locked; a manager can now approve its dispatch."),
    ),
    "reopen": PageMove(
        gettext_lazy("Reopen the packing list"),
        _call("reopen"),
        gettext_lazy("%(waybill)s is a draft again; any approval of its dispatch was withdrawn."),
        ReasonForm,
    ),
    "approve_dispatch": PageMove(
        gettext_lazy("Approve dispatch"),
        _call("approve_dispatch"),
        gettext_lazy("The dispatch of %(waybill)s was approved."),
    ),
    "dispatch": PageMove(
        gettext_lazy("Record dispatch"),
        _call("dispatch"),
        gettext_lazy("%(waybill)s was dispatched; the consignee is told by email."),
        DispatchForm,
        form_kwargs=_current_values,
    ),
    "mark_in_transit": PageMove(
        gettext_lazy("Mark in transit"),
        _call("mark_in_transit"),
        gettext_lazy("%(waybill)s is in transit."),
        InTransitForm,
    ),
    "arrive": PageMove(
        gettext_lazy("Record arrival"),
        _call("arrive"),
        gettext_lazy("The arrival of %(waybill)s was recorded; the consignee can now confirm the receipt."),
        ArriveForm,
    ),
    "reschedule": PageMove(
        gettext_lazy("Change the expected arrival"),
        _call("reschedule"),
        gettext_lazy("The expected arrival of %(waybill)s was changed."),
        RescheduleForm,
        form_kwargs=_current_values,
    ),
    "cancel": PageMove(
        gettext_lazy("Cancel shipment"),
        _call("cancel"),
        gettext_lazy("%(waybill)s was cancelled."),
        ReasonForm,
        danger=True,
    ),
    "mark_lost": PageMove(
        gettext_lazy("Declare lost"),
        _call("mark_lost"),
        gettext_lazy("%(waybill)s was declared lost."),
        LostForm,
        danger=True,
    ),
    "event_add": PageMove(
        gettext_lazy("Add event"),
        lambda shipment, user, **data: services.tracking_event_add(shipment=shipment, added_by=user, **data),
        gettext_lazy("The event was added to the timeline of %(waybill)s."),
        EventForm,
        form_kwargs=_current_values,
        anchor="#timeline",
        listed=False,
    ),
}
EVENT_MOVE = MOVES["event_add"]
MOVE_URL = "shipments:{name}"


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


# A shipment's page adds up its items, receipts, events and history: after someone else's change it is shown as last
# computed, saying when, while the worker computes it afresh (registered in ``apps.py``); after its reader's own change
# (an event they recorded, a move they made) it is computed while they wait (``cooperation.kept.render_refreshed``).
SHIPMENT_PAGE = "shipments.detail"


def _shipment_body(request, shipment: Shipment, refused=None) -> dict:
    """What the body of ``shipment``'s page shows its reader (``refused``: a move refused, shown with its form)."""
    user = request.user
    today = timezone.localdate()
    items = list(selectors.shipment_items(user=user, shipment=shipment))
    receipts = list(selectors.shipment_receipts(user=user, shipment=shipment))
    expired, expiring = _expiry_flags(shipment, today)
    refused_name, refused_form = refused or (None, None)
    event_form = None
    if user.has_perm(Perm.ADD_TRACKING_EVENT):
        event_form = (
            refused_form if refused_name == "event_add" else move_form(MOVES["event_add"], "event_add", shipment)
        )
    return {
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
        "event_form_open": refused_name == "event_add",
        "actions": record_actions(
            shipment,
            user,
            MOVES,
            guard=services.shipment_move_refusal,
            url_name="shipments:{name}",
            refused=refused,
        ),
        "history": _history(user, shipment) if user.has_perm(Perm.VIEW_HISTORY) else None,
        "can_edit": services.shipment_move_refusal(shipment, user, "update") is None,
    }


def shipment_page_body(request, pk) -> dict:
    """The body of shipment ``pk``'s page, as the reader of ``request`` may see it (404 otherwise)."""
    return _shipment_body(request, selectors.shipment_get(user=request.user, pk=pk))


def _detail_page(request, shipment: Shipment, refused=None, status: int = 200):
    if request.method == "GET" and refused is None and status == 200:
        return render_refreshed(
            request, "shipments/shipment_detail.html", SHIPMENT_PAGE, context={"shipment": shipment}
        )
    # A move refused shows the page again with the reason: computed for that request alone, never kept.
    return render_kept(
        request,
        "shipments/shipment_detail.html",
        "shipments/_shipment_detail_body.html",
        lambda: _shipment_body(request, shipment, refused),
        context={"shipment": shipment},
        status=status,
    )


shipment_detail, shipment_move = record_views(
    perm=Perm.VIEW_SHIPMENT,
    get=selectors.shipment_get,
    moves=MOVES,
    perms=services.MOVE_PERMS,
    show_page=_detail_page,
    page_url="shipments:detail",
    done_values=lambda shipment: {"waybill": shipment.waybill},
)
