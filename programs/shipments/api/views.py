"""Shipments, packing-list items, tracking events and receipts over the API.

Querysets come from the shipment selectors, so a partner user reaches only shipments addressed to their
organisation (anything else is 404, even for a write they could never make); every write and every status
change is one shipment service call, whose refusals answer 400 with the message next to the field it is about.
"""

from functools import partial

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from cooperation.api.permissions import perm_required
from cooperation.api.viewsets import (
    CreateByService,
    DestroyByService,
    PagedByIds,
    RecordViewSet,
    UpdateByService,
    documented,
    writes,
)
from cooperation.roles import Perm
from programs.shipments import selectors, services
from programs.shipments.api.discrepancies import DiscrepancySummaryFilter, DiscrepancySummarySerializer
from programs.shipments.api.filters import EventFilter, ItemFilter, ReceiptFilter
from programs.shipments.api.permissions import ItemPermission
from programs.shipments.api.serializers import (
    ArriveSerializer,
    DispatchSerializer,
    InTransitSerializer,
    ItemCreateSerializer,
    ItemUpdateSerializer,
    ReceiptSerializer,
    ReceiptWriteSerializer,
    RescheduleSerializer,
    ShipmentCreateSerializer,
    ShipmentDetailSerializer,
    ShipmentItemSerializer,
    ShipmentLostSerializer,
    ShipmentReasonSerializer,
    ShipmentSerializer,
    ShipmentUpdateSerializer,
    TrackingEventSerializer,
    TrackingEventWriteSerializer,
)
from programs.shipments.filters import ShipmentFilter
from programs.shipments.models import Receipt, Shipment, ShipmentItem, TrackingEvent

# What each move of a shipment reads from the body; every move is one call of ``services.shipment_move``.
SHIPMENT_MOVE_INPUTS = {
    "mark_ready": None,
    "reopen": ShipmentReasonSerializer,
    "approve_dispatch": None,
    "dispatch": DispatchSerializer,
    "mark_in_transit": InTransitSerializer,
    "arrive": ArriveSerializer,
    "reschedule": RescheduleSerializer,
    "cancel": ShipmentReasonSerializer,
    "mark_lost": ShipmentLostSerializer,
}


# --- Shipments ----------------------------------------------------------------------------------------------------


@documented(
    list=(
        _("List shipments"),
        _("Partner users see the shipments addressed to their organisation once they are ready."),
    ),
    retrieve=_("Show a shipment with its totals per currency"),
    create=(
        _("Draft a shipment"),
        _(
            "The shipment is created as a draft under the next waybill number; its items are then added one by "
            "one at /api/v1/shipment-items/ until the packing list is marked ready."
        ),
    ),
    update=_("Replace a draft shipment's parties, route and dates"),
    partial_update=_("Change some details of a draft shipment"),
    moves={
        "mark_ready": _("Lock the packing list: the shipment is ready"),
        "reopen": (_("Unlock a ready packing list for corrections"), _("Any approval of the dispatch is withdrawn.")),
        "approve_dispatch": (
            _("Approve the dispatch of a ready shipment"),
            _("By a manager who did not prepare the packing list. Expired items block the approval."),
        ),
        "dispatch": (_("Record that an approved shipment left"), _("The consignee's contacts are told by email.")),
        "mark_in_transit": _("Mark a dispatched shipment in transit"),
        "arrive": _("Record that a shipment arrived"),
        "reschedule": (
            _("Move the expected arrival"),
            _("If the new date passes too, that is a new delay, alerted again."),
        ),
        "cancel": _("Cancel a shipment before dispatch"),
        "mark_lost": (
            _("Declare a shipment on its way lost"),
            _("For the whole consignment; losses found on arrival go on a receipt."),
        ),
    },
)
class ShipmentViewSet(PagedByIds, CreateByService, UpdateByService, RecordViewSet):
    # No delete: a shipment ends cancelled, lost or received, and keeps its waybill and journey.
    serializer_class = ShipmentSerializer
    write_serializer_classes = writes(create=ShipmentCreateSerializer, update=ShipmentUpdateSerializer)
    filterset_class = ShipmentFilter
    model = Shipment
    rows_selector = staticmethod(selectors.shipment_rows)
    page_selector = staticmethod(selectors.shipment_page)
    selectors = (selectors.shipment_list, selectors.shipment_get)
    ordering = ("-created_at", "-pk")
    detail_serializer_class = ShipmentDetailSerializer
    move_perms = services.MOVE_PERMS
    create_service = (services.shipment_create, "created_by")
    update_service = (services.shipment_update, "updated_by")
    moves = {
        move: (partial(services.shipment_move, move), "user", input) for move, input in SHIPMENT_MOVE_INPUTS.items()
    }

    def get_output_serializer(self, shipment, **kwargs):
        # With its totals per currency and today's delay.
        context = {
            **self.get_serializer_context(),
            "totals": selectors.shipment_totals(shipment=shipment),
            "days_late": selectors.days_late(shipment),
        }
        return ShipmentDetailSerializer(shipment, context=context, **kwargs)

    @extend_schema(
        summary=_("Goods sent against goods counted on receipt"),
        description=_(
            "Over the received and partly received shipments you may see (a partner user: those addressed to their "
            "organisation): per currency, the value sent, received in good condition, damaged and lost, and the "
            "discrepancy rate (damaged and lost in percent of sent); per unit of measure, the same by quantity."
        ),
        responses={200: DiscrepancySummarySerializer},
        filters=True,
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="discrepancies/summary",
        url_name="discrepancy-summary",
        permission_classes=[perm_required(Perm.VIEW_RECEIPT)],
        filter_backends=[DjangoFilterBackend],
        filterset_class=DiscrepancySummaryFilter,
        pagination_class=None,
        serializer_class=DiscrepancySummarySerializer,
    )
    def discrepancy_summary(self, request, *args, **kwargs):
        shipments = self.filter_queryset(Shipment.objects.all())
        summary = selectors.discrepancy_summary(user=request.user, shipments=shipments)
        return Response(DiscrepancySummarySerializer(summary).data)


# --- Packing-list items -------------------------------------------------------------------------------------------


@documented(
    list=_("List shipment items with what the consignee counted"),
    retrieve=_("Show a shipment item"),
    create=_("Add an item to a draft's packing list"),
    update=_("Replace an item of a draft's packing list"),
    partial_update=_("Change an item of a draft's packing list"),
    destroy=_("Remove an item from a draft's packing list"),
)
class ShipmentItemViewSet(PagedByIds, CreateByService, UpdateByService, DestroyByService, RecordViewSet):
    """The packing list can change only while the shipment is a draft; after that every write answers 400."""

    serializer_class = ShipmentItemSerializer
    write_serializer_classes = writes(create=ItemCreateSerializer, update=ItemUpdateSerializer)
    permission_classes = [ItemPermission]
    filterset_class = ItemFilter
    model = ShipmentItem
    rows_selector = staticmethod(selectors.item_rows)
    page_selector = staticmethod(selectors.item_page)
    selectors = (selectors.item_list,)
    record_keyword = "item"
    create_service = (services.item_add, "added_by")  # the body names the shipment the item goes on
    update_service = (services.item_update, "updated_by")
    destroy_service = (services.item_remove, "removed_by")


# --- Tracking events ----------------------------------------------------------------------------------------------


@documented(
    list=_("List tracking events"),
    retrieve=_("Show a tracking event"),
    create=(
        _("Record a customs event or a note on a shipment's journey"),
        _("Status changes are written by the shipment's actions, not here."),
    ),
)
class TrackingEventViewSet(CreateByService, RecordViewSet):
    # No edit or delete: the journey is a record of what happened.
    serializer_class = TrackingEventSerializer
    write_serializer_classes = writes(create=TrackingEventWriteSerializer)
    filterset_class = EventFilter
    model = TrackingEvent
    selectors = (selectors.event_list,)
    create_service = (services.tracking_event_add, "added_by")  # the body names the shipment


# --- Receipts -----------------------------------------------------------------------------------------------------


def _aligned_line_errors(error: services.ReceiptLinesInvalid, count: int) -> list[dict[str, list[ErrorDetail]]]:
    """The service's errors by line position, as DRF lists them for a nested list: one entry per line sent."""
    return [
        {
            field: [ErrorDetail(str(message), code=error.line_codes[index][field])]
            for field, message in error.line_errors.get(index, {}).items()
        }
        for index in range(count)
    ]


IDEMPOTENCY_HEADER = "Idempotency-Key"


def _idempotency_key(request, in_body):
    """The receipt's key from the body or the ``Idempotency-Key`` header (the service checks that it is a UUID);
    two different keys are refused."""
    in_header = request.headers.get(IDEMPOTENCY_HEADER, "").strip() or None
    if in_body is not None and in_header is not None and str(in_body) != in_header.lower():
        raise exceptions.ValidationError(
            {
                "idempotency_key": [
                    ErrorDetail(
                        str(_("The Idempotency-Key header and the body's idempotency_key differ.")),
                        code=services.ShipmentRefusal.KEY_INVALID,
                    )
                ]
            }
        )
    return in_body if in_body is not None else in_header


@documented(
    list=_("List receipts with their lines"),
    retrieve=_("Show a receipt with its lines"),
    create=(
        _("Confirm what arrived of a shipment"),
        _(
            "Only staff of the consignee. Per item: units in good condition, damaged and lost, with a reason for "
            "anything not good; earlier receipts count too, so nothing is counted twice. Errors on the lines "
            "come back as a list aligned with the lines sent, an empty object for a line without errors. "
            "The shipment becomes received once every unit is accounted for, partially received until then. "
            "A receipt sent again with the same Idempotency-Key (a retry after a dropped connection) is recorded "
            "once: the answer is the receipt the first sending made; a key used for another shipment is refused."
        ),
    ),
)
class ReceiptViewSet(CreateByService, RecordViewSet):
    # No edit or delete: a receipt is what the consignee signed for; a later count is a new receipt.
    serializer_class = ReceiptSerializer
    write_serializer_classes = writes(create=ReceiptWriteSerializer)
    filterset_class = ReceiptFilter
    model = Receipt
    selectors = (selectors.receipt_list,)
    _repeated = False

    @extend_schema(
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description=_("A UUID naming this receipt; the same as the body's idempotency_key, if both are sent."),
            )
        ]
    )
    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if self._repeated:
            response["Idempotent-Replayed"] = "true"
        return response

    def create_record(self, data):
        user = self.request.user
        # Another organisation's shipment is never admitted to exist.
        shipment = selectors.shipment_get(user=user, pk=data.pop("shipment"))
        lines = [dict(line) for line in data.pop("lines")]
        data["idempotency_key"] = _idempotency_key(self.request, data.pop("idempotency_key", None))
        try:
            receipt = services.receipt_confirm(shipment=shipment, received_by=user, lines=lines, **data)
            self._repeated = receipt.repeated
            return receipt
        except services.ReceiptLinesInvalid as error:
            raise exceptions.ValidationError({"lines": _aligned_line_errors(error, len(lines))}) from error
