"""A shipment's journey, receipts and messages, and the discrepancies found on receipt."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.selectors import messages_about
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.shipments.models import DelayAlertLog, Receipt, ReceiptLine, ReceiptPhoto, Shipment, TrackingEvent
from programs.shipments.selectors._common import DISCREPANCY, NOT_GOOD, NOT_GOOD_VALUE, _money
from programs.shipments.selectors.shipments import _visible_shipments, shown_to

# --- journey and receipts -----------------------------------------------------------------------------------------


def shipment_events(*, user, shipment: Shipment) -> QuerySet[TrackingEvent]:
    """The shipment's timeline, oldest first."""
    if not user.has_perm(Perm.VIEW_TRACKING_EVENT) or not shown_to(user, shipment):
        return TrackingEvent.objects.none()
    return TrackingEvent.objects.filter(shipment=shipment).select_related("user").order_by("occurred_at", "pk")


def shipment_receipts(*, user, shipment: Shipment) -> QuerySet[Receipt]:
    if not user.has_perm(Perm.VIEW_RECEIPT) or not shown_to(user, shipment):
        return Receipt.objects.none()
    return (
        Receipt.objects.filter(shipment=shipment)
        .select_related("received_by")
        .prefetch_related(
            Prefetch("lines", queryset=ReceiptLine.objects.select_related("item").order_by("item_id")),
            Prefetch("photos", queryset=ReceiptPhoto.objects.order_by("pk")),
        )
    )


def receipt_by_key(*, user, shipment: Shipment, key) -> Receipt | None:
    """The receipt of ``shipment`` that the submission ``key`` already made, if ``user`` may see it; else None."""
    if key is None:
        return None
    return shipment_receipts(user=user, shipment=shipment).filter(idempotency_key=key).first()


def receipt_photo_get(*, user, pk) -> ReceiptPhoto:
    """A photo of a receipt of a shipment ``user`` may see (staff, the consignee's staff); 404 for anyone else."""
    if not user.has_perm(Perm.VIEW_RECEIPT):
        raise Http404
    visible = ReceiptPhoto.objects.filter(receipt__shipment__in=_visible_shipments(user))
    return get_object_or_404(visible, pk=pk)


@dataclass(frozen=True)
class ShipmentNotifications:
    """The emails about a shipment, from the outbox: the consignee's dispatch notice (one per contact) and the
    delay alerts (each DelayAlertLog with ``emails``, its outbox rows)."""

    dispatched: bool
    dispatch_notice: list[OutboxMessage]
    delay_alerts: list[DelayAlertLog]

    def __bool__(self) -> bool:
        return self.dispatched or bool(self.delay_alerts)


def shipment_notifications(*, user, shipment: Shipment) -> ShipmentNotifications:
    """Who was emailed about ``shipment``, and in which state each email is: staff only, as the addresses are
    the staff's and partners'. Two queries."""
    if not sees_everything(user) or not user.has_perm(Perm.VIEW_SHIPMENT) or not user.has_perm(Perm.VIEW_MESSAGE):
        return ShipmentNotifications(False, [], [])
    alerts = list(DelayAlertLog.objects.filter(shipment=shipment).order_by("expected_arrival", "pk"))
    shipment_type = ContentType.objects.get_for_model(Shipment)
    notice, by_alert = [], {}
    for message in messages_about(user=user, records=[shipment, DelayAlertLog.objects.filter(shipment=shipment)]):
        if message.content_type_id == shipment_type.pk:
            notice.append(message)
        else:
            by_alert.setdefault(message.object_id, []).append(message)
    for alert in alerts:
        alert.emails = by_alert.get(alert.pk, [])
    return ShipmentNotifications(shipment.dispatched_on is not None, notice, alerts)


def _discrepancy_lines(user) -> QuerySet[ReceiptLine]:
    if not user.has_perm(Perm.VIEW_RECEIPT):
        return ReceiptLine.objects.none()
    return ReceiptLine.objects.filter(DISCREPANCY, receipt__shipment__in=_visible_shipments(user).values("pk"))


def discrepancy_list(*, user) -> QuerySet[ReceiptLine]:
    """Every receipt line with units damaged or lost, with ``not_good`` (units) and ``value_at_stake``, grouped
    by the item's currency and the largest value first within it: values are compared only within a currency."""
    return (
        _discrepancy_lines(user)
        .select_related(
            "item__currency", "receipt__received_by", "receipt__shipment__consignee", "receipt__shipment__programme"
        )
        .annotate(not_good=NOT_GOOD, value_at_stake=NOT_GOOD_VALUE)
        .order_by("item__currency_id", "-value_at_stake", "-receipt__received_on", "pk")
    )


@dataclass(frozen=True)
class DiscrepancyTotal:
    """The value damaged or lost in one currency, over how many receipt lines."""

    currency: Currency
    amount: Decimal
    line_count: int


def discrepancy_totals(*, user) -> list[DiscrepancyTotal]:
    """The value at stake of ``discrepancy_list`` per currency (never added across currencies), in one query."""
    rows = list(
        _discrepancy_lines(user)
        .order_by("item__currency_id")
        .values("item__currency_id")
        .annotate(value=Sum(NOT_GOOD_VALUE), lines=Count("pk"))
    )
    currencies = Currency.objects.in_bulk([row["item__currency_id"] for row in rows]) if rows else {}
    return [
        DiscrepancyTotal(
            currencies[row["item__currency_id"]],
            _money(row["value"], currencies[row["item__currency_id"]]),
            row["lines"],
        )
        for row in rows
    ]
