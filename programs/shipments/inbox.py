"""What shipments have waiting for a user: dispatches to approve and discrepancies to follow up (staff), goods
arrived to count (the consignee's staff).

Each group is narrowed in SQL first (status, permission, maker–checker), so its total is counted there; the
shown items are then asked the same guard as the shipment's page, which lets every one of them through.
Nothing marks a discrepancy as looked at, so the officers' group lists the shipments whose receipts of the
last ``DISCREPANCY_DAYS`` days found goods damaged or lost.
"""

import datetime

from django.db.models import DateField, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy, ngettext

from cooperation.access import sees_everything
from cooperation.inbox import ITEMS_PER_GROUP, InboxGroup, InboxItem
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.selectors import per_row
from programs.shipments import selectors
from programs.shipments.models import ReceiptLine, ShipmentStatus
from programs.shipments.selectors._common import DISCREPANCY
from programs.shipments.services import receipt_refusal, shipment_move_refusal

DISCREPANCY_DAYS = 30
# What the consignee counts: goods at the destination, not yet (all) counted.
TO_COUNT = (ShipmentStatus.ARRIVED, ShipmentStatus.PARTIALLY_RECEIVED)


def _group(key, label, shipments, item, url="", guard=None) -> InboxGroup:
    total = shipments.count()
    if not total:
        return InboxGroup(key, str(label))
    shown = [shipment for shipment in shipments[:ITEMS_PER_GROUP] if guard is None or guard(shipment)]
    return InboxGroup(key, str(label), [item(shipment) for shipment in shown], total, url)


def dispatch_approvals(user) -> InboxGroup:
    """Ready packing lists awaiting a manager's approval that this manager did not prepare."""
    label = gettext_lazy("Shipments to approve for dispatch")
    if not (user.has_perm(Perm.APPROVE_DISPATCH) and sees_everything(user)):
        return InboxGroup("shipments.dispatch_approvals", str(label))
    shipments = (
        selectors.shipment_list(user=user)
        .filter(status=ShipmentStatus.READY, dispatch_approved_by__isnull=True)
        .exclude(prepared_by=user)
        .select_related("prepared_by")
        .order_by("updated_at", "pk")
    )
    return _group(
        "shipments.dispatch_approvals",
        label,
        shipments,
        lambda shipment: InboxItem(
            title=f"{shipment.waybill} · {shipment.consignee}",
            url=reverse("shipments:detail", args=[shipment.pk]),
            detail=ngettext(
                "%(items)d item, prepared by %(user)s", "%(items)d items, prepared by %(user)s", shipment.item_count
            )
            % {"items": shipment.item_count, "user": shipment.prepared_by or "—"},
            since=shipment.planned_dispatch,
        ),
        url=f"{reverse('shipments:list')}?{urlencode({'status': ShipmentStatus.READY.value})}",
        guard=lambda shipment: shipment_move_refusal(shipment, user, "approve_dispatch") is None,
    )


def recent_discrepancies(user, today: datetime.date | None = None) -> InboxGroup:
    """Shipments whose receipts of the last 30 days found goods damaged or lost, for the officers who follow up."""
    label = gettext_lazy("Receipts with discrepancies (last 30 days)")
    if not (user.has_perm(Perm.CHANGE_SHIPMENT) and user.has_perm(Perm.VIEW_RECEIPT) and sees_everything(user)):
        return InboxGroup("shipments.discrepancies", str(label))
    since = (today or timezone.localdate()) - datetime.timedelta(days=DISCREPANCY_DAYS)
    lines = ReceiptLine.objects.filter(DISCREPANCY, receipt__received_on__gte=since)
    shipments = (
        selectors.shipment_list(user=user)
        .filter(pk__in=lines.values("receipt__shipment_id"))
        .annotate(counted_on=per_row(lines, "receipt__shipment", Max("receipt__received_on"), output_field=DateField()))
        .order_by("counted_on", "pk")
    )
    return _group(
        "shipments.discrepancies",
        label,
        shipments,
        lambda shipment: InboxItem(
            title=f"{shipment.waybill} · {shipment.consignee}",
            url=reverse("shipments:detail", args=[shipment.pk]),
            detail=shipment.get_status_display(),
            since=shipment.counted_on,
        ),
        url=reverse("shipments:discrepancies"),
    )


def receipts_to_count(user) -> InboxGroup:
    """Goods arrived at the user's organisation and not yet all counted: a receipt to record in the portal."""
    label = gettext_lazy("Shipments arrived to count")
    if not (user.has_perm(Perm.ADD_RECEIPT) and user_organisation_ids(user)):
        return InboxGroup("shipments.receipts_to_count", str(label))
    shipments = (
        selectors.shipment_list(user=user)
        .filter(status__in=TO_COUNT, consignee_id__in=user_organisation_ids(user))
        .order_by("arrived_on", "pk")
    )
    return _group(
        "shipments.receipts_to_count",
        label,
        shipments,
        lambda shipment: InboxItem(
            title=f"{shipment.waybill} · {shipment.destination_place}",
            url=reverse("shipments_portal:receive", args=[shipment.pk]),
            detail=shipment.get_status_display(),
            since=shipment.arrived_on,
        ),
        url=reverse("shipments_portal:list"),
        guard=lambda shipment: receipt_refusal(shipment, user) is None,
    )


def waiting_for(user) -> list[InboxGroup]:
    return [dispatch_approvals(user), recent_discrepancies(user), receipts_to_count(user)]
