"""What the shipment services share: the fields they take, the refusal codes, the moves and their statuses, and
the tracking event every status change writes."""

import datetime
from decimal import Decimal
from enum import StrEnum

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import money_flows
from cooperation.dates import check_date
from cooperation.refusals import refuse
from cooperation.workflow import Move, save_by
from programs.shipments.models import QUANTITY_DIGITS, EventKind, Shipment, ShipmentStatus, TrackingEvent

SHIPMENT_FIELDS = (
    "programme",
    "donor",
    "consignor",
    "consignee",
    "consignee_contact",
    "origin_country",
    "origin_place",
    "destination_country",
    "destination_place",
    "mode",
    "carrier",
    "transport_reference",
    "planned_dispatch",
    "expected_arrival",
    "notes",
)
ITEM_FIELDS = (
    "category",
    "description",
    "unit",
    "quantity",
    "unit_weight_kg",
    "unit_value",
    "currency",
    "expiry_date",
    "donor",
)
DECIMAL_ITEM_FIELDS = ("quantity", "unit_weight_kg", "unit_value")
RECEIPT_QUANTITIES = ("good", "damaged", "lost")
LARGEST_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS["max_digits"] - QUANTITY_DIGITS["decimal_places"])
CUSTOMS_KINDS = (EventKind.CUSTOMS_ENTRY, EventKind.CUSTOMS_HOLD, EventKind.CUSTOMS_RELEASE)


class ShipmentRefusal(StrEnum):
    """Why a shipment service says no, beyond the kernel's shared codes (``Refused``)."""

    NO_ITEMS = "no_items"
    DISPATCH_ALREADY_APPROVED = "dispatch_already_approved"
    DISPATCH_NOT_APPROVED = "dispatch_not_approved"
    EXPIRED_ITEMS = "expired_items"
    WAYBILL_USED = "waybill_used"
    WAYBILL_TOO_LONG = "waybill_too_long"
    DATE_REQUIRED = "date_required"
    DATE_TOO_EARLY = "date_too_early"
    DATE_OUT_OF_RANGE = "date_out_of_range"
    WRONG_EVENT_KIND = "wrong_event_kind"
    NOTE_REQUIRED = "note_required"
    NOT_CONSIGNEE = "not_consignee"
    NOTHING_COUNTED = "nothing_counted"
    NOT_ON_PACKING_LIST = "not_on_packing_list"
    COUNTED_TWICE = "counted_twice"
    NEGATIVE_QUANTITY = "negative_quantity"
    QUANTITY_TOO_LARGE = "quantity_too_large"
    TOO_MANY_DECIMALS = "too_many_decimals"
    RECEIVED_MORE_THAN_SENT = "received_more_than_sent"
    KEY_INVALID = "idempotency_key_invalid"
    KEY_REUSED = "idempotency_key_reused"
    TOO_MANY_PHOTOS = "too_many_photos"
    INVALID_PHOTO = "invalid_photo"


S = ShipmentStatus
SHIPMENT_MOVES = {
    "update": Move({S.DRAFT}, gettext_lazy("A shipment can be edited only while it is a draft; this one is %s.")),
    "edit_items": Move(
        {S.DRAFT},
        gettext_lazy(
            "The packing list is locked once the shipment is ready: items can be edited only on a draft; "
            "this shipment is %s."
        ),
    ),
    "mark_ready": Move({S.DRAFT}, gettext_lazy("Only a draft can be marked ready; this shipment is %s.")),
    "reopen": Move({S.READY}, gettext_lazy("Only a shipment that is ready can go back to draft; this one is %s.")),
    "approve_dispatch": Move(
        {S.READY},
        gettext_lazy("Dispatch can be approved only when the packing list is ready; this shipment is %s."),
    ),
    "dispatch": Move({S.READY}, gettext_lazy("Only a shipment that is ready can be dispatched; this one is %s.")),
    "mark_in_transit": Move(
        {S.DISPATCHED},
        gettext_lazy("Only a dispatched shipment can be marked in transit; this one is %s."),
    ),
    "arrive": Move(
        {S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("Only a dispatched shipment or one in transit can arrive; this one is %s."),
    ),
    "receive": Move(
        {S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED, S.PARTIALLY_RECEIVED},
        gettext_lazy(
            "Receipt can be confirmed only once the shipment is dispatched and not fully received; this one is %s."
        ),
    ),
    "reschedule": Move(
        {S.READY, S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("The expected arrival can be changed only before arrival; this shipment is %s."),
    ),
    "cancel": Move(
        {S.DRAFT, S.READY}, gettext_lazy("A shipment can be cancelled only before dispatch; this one is %s.")
    ),
    "mark_lost": Move(
        {S.DISPATCHED, S.IN_TRANSIT},
        gettext_lazy("Only a shipment on its way can be declared lost; this one is %s."),
    ),
    "customs": Move(
        {S.DISPATCHED, S.IN_TRANSIT, S.ARRIVED},
        gettext_lazy("Customs events are recorded between dispatch and arrival; this shipment is %s."),
    ),
}


# --- errors and small helpers -------------------------------------------------------------------------------------


def _date_text(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _check_date(value, field: str, *, not_before: datetime.date | None = None, before_message=None) -> None:
    """The date of something that happened: given, within the bounds, not after today, not before ``not_before``."""
    if value is None:
        raise refuse(ShipmentRefusal.DATE_REQUIRED, _("Give the date."), field)
    check_date(value, field, past=True)
    if not_before is not None and value < not_before:
        raise refuse(ShipmentRefusal.DATE_TOO_EARLY, str(before_message) % {"date": _date_text(not_before)}, field)


def _moment(day: datetime.date) -> datetime.datetime:
    """When a dated event happened: now if it was today, else midday of that day (the hour is not known)."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _event(shipment: Shipment, user, kind: str, *, occurred_at=None, place="", note="") -> TrackingEvent:
    return TrackingEvent.objects.create(
        shipment=shipment,
        kind=kind,
        status_after=shipment.status if kind == EventKind.STATUS_CHANGE else "",
        occurred_at=occurred_at or timezone.now(),
        place=place or "",
        note=note or "",
        user=user,
    )


def _change_status(shipment: Shipment, user, status: str, fields=(), *, occurred_at=None, place="", note=""):
    """Move to ``status`` (with the other ``fields`` already set) and write the status-change event."""
    shipment.status = status
    save_by(shipment, user, ["status", *fields])
    money_flows.changed(shipment.programme_id)  # approved, dispatched or cancelled goods move its money
    _event(shipment, user, EventKind.STATUS_CHANGE, occurred_at=occurred_at, place=place, note=note)
    return shipment
