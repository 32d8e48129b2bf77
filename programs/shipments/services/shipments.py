"""Drafting a shipment and moving it from status to status; every status change writes a tracking event."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import money_flows
from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_days, check_date, computed_date_message, date_error
from cooperation.refusals import Refusal, refuse
from cooperation.risk import acknowledge
from cooperation.roles import Perm
from cooperation.workflow import (
    clean_with,
    create_unique,
    current_value,
    new_values,
    only_fields,
    require_reason,
    save_by,
    update_by,
)
from programs.services import party_problem
from programs.shipments import waybills
from programs.shipments.models import EventKind, Shipment, ShipmentStatus
from programs.shipments.services._common import (
    SHIPMENT_FIELDS,
    ShipmentRefusal,
    _change_status,
    _check_date,
    _date_text,
    _event,
    _moment,
)
from programs.shipments.services.guards import _lock_checked

# --- shipments ----------------------------------------------------------------------------------------------------


def _validate_shipment(shipment: Shipment) -> None:
    values = {field: current_value(shipment, field) for field in SHIPMENT_FIELDS}
    errors: dict[str, str] = {}
    programme, consignee, contact = values["programme"], values["consignee"], values["consignee_contact"]
    if programme is not None and not programme.is_in_kind:
        errors["programme"] = _("This programme does not include in-kind cooperation; shipments need one that does.")
    if (problem := party_problem(programme, consignee)) is not None:
        errors["consignee"] = problem
    if values["consignor"] is not None and consignee is not None and values["consignor"].pk == consignee.pk:
        errors["consignor"] = _("The consignor cannot be the consignee.")
    if contact is not None and consignee is not None and contact.organisation_id != consignee.pk:
        errors["consignee_contact"] = _("Choose a contact of the consignee.")
    planned, expected = values["planned_dispatch"], values["expected_arrival"]
    if planned is not None and expected is not None and expected < planned:
        errors["expected_arrival"] = _("The expected arrival cannot be before the planned dispatch.")
    clean_with(shipment, errors, exclude=["waybill"], validate_constraints=False)


def _take_waybill(shipment: Shipment, waybill: str | None) -> None:
    """Give ``shipment`` its waybill: the next number, or one typed in (from a paper book) never used before."""
    if not waybill:
        shipment.waybill = waybills.next_waybill()
        return
    waybill = waybill.strip().upper()
    if len(waybill) > Shipment._meta.get_field("waybill").max_length:
        raise refuse(ShipmentRefusal.WAYBILL_TOO_LONG, _("A waybill number has at most 20 characters."), "waybill")
    if waybills.waybill_ever_used(waybill):
        raise _waybill_used(waybill).error()
    shipment.waybill = waybill


def _waybill_used(waybill: str) -> Refusal:
    message = _("Waybill %(waybill)s has already been used; a waybill number is never reused.")
    return Refusal(ShipmentRefusal.WAYBILL_USED, message % {"waybill": waybill}, "waybill")


# What a new draft holds where its creator gives nothing (texts are stored empty, never as None).
SHIPMENT_DEFAULTS = {
    "consignee_contact": None,
    "origin_place": "",
    "destination_place": "",
    "carrier": "",
    "transport_reference": "",
    "notes": "",
}


@transaction.atomic
def shipment_create(*, created_by, waybill: str | None = None, risk_acknowledged: bool = False, **data) -> Shipment:
    """Draft a shipment under a fresh waybill number (one of SHIPMENT_FIELDS each, see SHIPMENT_DEFAULTS); items
    are added to its packing list next. Goods for a consignee with risk flags need ``risk_acknowledged``; the
    shipment's history then names the flags."""
    require_perm(created_by, Perm.ADD_SHIPMENT)
    values = new_values("shipment_create", data, SHIPMENT_FIELDS, SHIPMENT_DEFAULTS)
    shipment = Shipment(**values, status=ShipmentStatus.DRAFT, created_by=created_by)
    _validate_shipment(shipment)
    acknowledge(shipment.consignee, risk_acknowledged, record=shipment)
    _take_waybill(shipment, waybill)
    # Only a waybill typed in at the same moment by someone else can collide here.
    create_unique(shipment, created_by, _waybill_used(shipment.waybill))
    _event(shipment, created_by, EventKind.STATUS_CHANGE, place=shipment.origin_place)
    return shipment


@transaction.atomic
def shipment_update(*, shipment: Shipment, updated_by, **data) -> Shipment:
    """Change a draft's parties, route or dates; only the fields given change (the waybill never does)."""
    only_fields("shipment_update", data, SHIPMENT_FIELDS)
    _lock_checked(shipment, updated_by, "update")
    return update_by(shipment, updated_by, SHIPMENT_FIELDS, data, validate=_validate_shipment)


@transaction.atomic
def shipment_mark_ready(*, shipment: Shipment, prepared_by) -> Shipment:
    """Lock the packing list; the one who does it prepared it, and cannot also approve the dispatch."""
    _lock_checked(shipment, prepared_by, "mark_ready")
    if not shipment.items.exists():
        raise refuse(
            ShipmentRefusal.NO_ITEMS, _("Add at least one item to the packing list before it is marked ready.")
        )
    _validate_shipment(shipment)  # the programme or the consignee may have changed since drafting
    shipment.prepared_by = prepared_by
    shipment.status_note = ""
    return _change_status(shipment, prepared_by, ShipmentStatus.READY, ["prepared_by", "status_note"])


@transaction.atomic
def shipment_reopen(*, shipment: Shipment, reopened_by, reason: str) -> Shipment:
    """Unlock the packing list for corrections; any approval of the dispatch is withdrawn with it."""
    _lock_checked(shipment, reopened_by, "reopen")
    reason = require_reason(reason)
    shipment.prepared_by = None
    shipment.dispatch_approved_by = None
    shipment.dispatch_approved_at = None
    shipment.status_note = reason
    return _change_status(
        shipment,
        reopened_by,
        ShipmentStatus.DRAFT,
        ["prepared_by", "dispatch_approved_by", "dispatch_approved_at", "status_note"],
        note=reason,
    )


def _refuse_expired(shipment: Shipment, on: datetime.date) -> None:
    from programs.shipments.selectors import expired_items

    expired = list(expired_items(shipment=shipment, on=on))
    if expired:
        raise refuse(
            ShipmentRefusal.EXPIRED_ITEMS,
            _("Expired items cannot be dispatched: %(items)s.")
            % {"items": "; ".join(f"{item.description} ({_date_text(item.expiry_date)})" for item in expired)},
        )


@transaction.atomic
def shipment_approve_dispatch(*, shipment: Shipment, approved_by) -> Shipment:
    """A manager releases the packing list for dispatch (maker–checker: not whoever prepared it).

    Items already expired on the planned dispatch date block the approval; items expiring soon are
    only warnings (``selectors.expiry_warnings``) that the manager sees before approving.
    """
    _lock_checked(shipment, approved_by, "approve_dispatch")
    _refuse_expired(shipment, max(shipment.planned_dispatch, timezone.localdate()))
    shipment.dispatch_approved_by = approved_by
    shipment.dispatch_approved_at = timezone.now()
    save_by(shipment, approved_by, ["dispatch_approved_by", "dispatch_approved_at"])
    money_flows.changed(shipment.programme_id)  # approved goods are committed
    _event(shipment, approved_by, EventKind.NOTE, note=_("Dispatch approved."))
    return shipment


@transaction.atomic
def shipment_dispatch(
    *,
    shipment: Shipment,
    dispatched_by,
    dispatched_on: datetime.date,
    carrier: str | None = None,
    transport_reference: str | None = None,
    note: str = "",
) -> Shipment:
    """The goods left: record the date (and the carrier's reference, often known only now); tell the consignee
    (outbox rows written with the dispatch)."""
    from programs.shipments import reminders

    _lock_checked(shipment, dispatched_by, "dispatch")
    _check_date(dispatched_on, "dispatched_on")
    if not shipment.items.exists():
        raise refuse(ShipmentRefusal.NO_ITEMS, _("A shipment without items cannot be dispatched."))
    _refuse_expired(shipment, dispatched_on)
    fields = ["dispatched_on"]
    shipment.dispatched_on = dispatched_on
    if dispatched_on > shipment.expected_arrival:
        # Leaving later than the planned arrival: the expected arrival moves with it (the planned dates stay).
        journey = shipment.expected_arrival - shipment.planned_dispatch
        try:
            expected = add_days(dispatched_on, journey.days)
        except DateOutOfRange:
            expected = None
        if expected is None or date_error(expected) is not None:
            raise refuse(ShipmentRefusal.DATE_OUT_OF_RANGE, computed_date_message(), "dispatched_on")
        shipment.expected_arrival = expected
        fields.append("expected_arrival")
    for field, value in (("carrier", carrier), ("transport_reference", transport_reference)):
        if value is not None:
            setattr(shipment, field, value.strip())
            fields.append(field)
    shipment.full_clean(validate_constraints=False)
    _change_status(
        shipment,
        dispatched_by,
        ShipmentStatus.DISPATCHED,
        fields,
        occurred_at=_moment(dispatched_on),
        place=shipment.origin_place,
        note=note,
    )
    reminders.write_dispatch_notice(shipment)
    return shipment


@transaction.atomic
def shipment_mark_in_transit(*, shipment: Shipment, updated_by, place: str = "", note: str = "") -> Shipment:
    _lock_checked(shipment, updated_by, "mark_in_transit")
    return _change_status(shipment, updated_by, ShipmentStatus.IN_TRANSIT, place=place, note=note)


@transaction.atomic
def shipment_arrive(*, shipment: Shipment, updated_by, arrived_on: datetime.date, note: str = "") -> Shipment:
    """The goods reached the destination; the consignee then confirms what they received."""
    _lock_checked(shipment, updated_by, "arrive")
    _check_date(
        arrived_on,
        "arrived_on",
        not_before=shipment.dispatched_on,
        before_message=gettext_lazy("The arrival cannot be before the dispatch (%(date)s)."),
    )
    shipment.arrived_on = arrived_on
    return _change_status(
        shipment,
        updated_by,
        ShipmentStatus.ARRIVED,
        ["arrived_on"],
        occurred_at=_moment(arrived_on),
        place=shipment.destination_place,
        note=note,
    )


@transaction.atomic
def shipment_reschedule(*, shipment: Shipment, updated_by, expected_arrival: datetime.date, note: str = "") -> Shipment:
    """A new expected arrival (the carrier's new estimate); if it passes too, that is a new delay to alert."""
    _lock_checked(shipment, updated_by, "reschedule")
    if expected_arrival is None:
        raise refuse(ShipmentRefusal.DATE_REQUIRED, _("Give the date."), "expected_arrival")
    check_date(expected_arrival, "expected_arrival")
    earliest = max(filter(None, [shipment.planned_dispatch, shipment.dispatched_on]))
    if expected_arrival < earliest:
        raise refuse(
            ShipmentRefusal.DATE_TOO_EARLY,
            _("The expected arrival cannot be before %(date)s.") % {"date": _date_text(earliest)},
            "expected_arrival",
        )
    previous = shipment.expected_arrival
    if expected_arrival == previous:
        return shipment
    shipment.expected_arrival = expected_arrival
    save_by(shipment, updated_by, ["expected_arrival"])
    summary = _("Expected arrival moved from %(old)s to %(new)s.") % {
        "old": _date_text(previous),
        "new": _date_text(expected_arrival),
    }
    _event(shipment, updated_by, EventKind.NOTE, note=f"{summary} {note}".strip())
    return shipment


@transaction.atomic
def shipment_cancel(*, shipment: Shipment, cancelled_by, reason: str) -> Shipment:
    _lock_checked(shipment, cancelled_by, "cancel")
    reason = require_reason(reason)
    shipment.status_note = reason
    return _change_status(shipment, cancelled_by, ShipmentStatus.CANCELLED, ["status_note"], note=reason)


@transaction.atomic
def shipment_mark_lost(*, shipment: Shipment, updated_by, reason: str, place: str = "") -> Shipment:
    """The whole consignment is lost on the way (seized, sunk, looted); losses found on arrival go on a receipt."""
    _lock_checked(shipment, updated_by, "mark_lost")
    reason = require_reason(reason)
    shipment.status_note = reason
    return _change_status(shipment, updated_by, ShipmentStatus.LOST, ["status_note"], place=place, note=reason)


# Each move of a shipment's page and of the API: its service and the name its service gives the acting user.
MOVE_SERVICES = {
    "mark_ready": (shipment_mark_ready, "prepared_by"),
    "reopen": (shipment_reopen, "reopened_by"),
    "approve_dispatch": (shipment_approve_dispatch, "approved_by"),
    "dispatch": (shipment_dispatch, "dispatched_by"),
    "mark_in_transit": (shipment_mark_in_transit, "updated_by"),
    "arrive": (shipment_arrive, "updated_by"),
    "reschedule": (shipment_reschedule, "updated_by"),
    "cancel": (shipment_cancel, "cancelled_by"),
    "mark_lost": (shipment_mark_lost, "updated_by"),
}


def shipment_move(move: str, *, shipment: Shipment, user, **data) -> Shipment:
    """Make ``move`` (a key of ``MOVE_SERVICES``) through its service, ``user`` acting."""
    service, actor = MOVE_SERVICES[move]
    return service(shipment=shipment, **{actor: user}, **data)
