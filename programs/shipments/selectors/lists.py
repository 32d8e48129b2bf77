"""Items, tracking events and receipts across every shipment the user may see (the API's lists)."""

import datetime

from django.db.models import Case, CharField, DateField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Greatest

from cooperation.access import sees_everything
from cooperation.pages import in_order
from cooperation.roles import Perm
from programs.selectors import today_or
from programs.shipments.models import Receipt, ReceiptLine, ShipmentItem, ShipmentStatus, TrackingEvent
from programs.shipments.selectors._common import EXPIRY_WARNING_DAYS, LINE_VALUE, LINE_WEIGHT, QUANTITY
from programs.shipments.selectors.shipments import _per_shipment, _visible_shipments

# --- across every visible shipment (the API's lists) --------------------------------------------------------------


class ExpiryFlag:
    EXPIRED = "expired"
    EXPIRING = "expiring"


def _expiry_flag(today: datetime.date) -> Case:
    """``expired`` or ``expiring`` while the goods have not left (as the shipment's page flags them), else None."""
    before_dispatch = Q(shipment__status__in=(ShipmentStatus.DRAFT, ShipmentStatus.READY))
    checked_on = Greatest(F("shipment__planned_dispatch"), Value(today))
    # Counted back from the expiry date (typed, so within the bounds) rather than forward from the planned
    # dispatch: no date computed here can run past the end of the calendar.
    warned_from = ExpressionWrapper(
        F("expiry_date") - datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        output_field=DateField(),
    )
    return Case(
        When(before_dispatch & Q(expiry_date__lt=checked_on), then=Value(ExpiryFlag.EXPIRED)),
        When(before_dispatch & Q(shipment__planned_dispatch__gte=warned_from), then=Value(ExpiryFlag.EXPIRING)),
        default=Value(None),
        output_field=CharField(),
    )


def _of_visible_shipments(model, user, perm: Perm) -> QuerySet:
    """``model``'s rows on every shipment ``user`` may see; none for a user without ``perm``."""
    if not user.has_perm(perm):
        return model.objects.none()
    if sees_everything(user) and user.has_perm(Perm.VIEW_SHIPMENT):
        # Every shipment is one they see, so every row is: counted and paged without asking which shipments.
        return model.objects.all()
    return model.objects.filter(shipment__in=_visible_shipments(user).values("pk"))


def item_list(*, user, today: datetime.date | None = None) -> QuerySet[ShipmentItem]:
    """Items of every shipment ``user`` may see, with the totals and counts of ``shipment_items`` and
    ``expiry_flag``: ``expired`` (it blocks the dispatch) or ``expiring`` within 90 days of the planned dispatch."""
    counted = {
        name: _per_shipment(ReceiptLine, name, output_field=QUANTITY, link="item")
        for name in ("good", "damaged", "lost")
    }
    return (
        _of_visible_shipments(ShipmentItem, user, Perm.VIEW_SHIPMENT_ITEM)
        .select_related("shipment", "currency", "donor")
        .order_by("shipment_id", "pk")
        .annotate(total_weight_kg=LINE_WEIGHT, total_value=LINE_VALUE, expiry_flag=_expiry_flag(today_or(today)))
        .annotate(**counted)
        .annotate(accounted=ExpressionWrapper(F("good") + F("damaged") + F("lost"), output_field=QUANTITY))
        .annotate(remaining=ExpressionWrapper(F("quantity") - F("accounted"), output_field=QUANTITY))
    )


def item_rows(*, user) -> QuerySet[ShipmentItem]:
    """Items of every shipment ``user`` may see, in the packing lists' order, without the figures of ``item_list``:
    what the API sorts, filters and pages before ``item_page`` reads the figures of the page's rows alone."""
    return _of_visible_shipments(ShipmentItem, user, Perm.VIEW_SHIPMENT_ITEM).order_by("shipment_id", "pk")


def item_page(ids, *, user, today: datetime.date | None = None) -> list[ShipmentItem]:
    """The items of a page (their ``ids`` in the list's order) with the figures of ``item_list``."""
    return in_order(ids, item_list(user=user, today=today))


def event_list(*, user) -> QuerySet[TrackingEvent]:
    """Tracking events of every shipment ``user`` may see, each shipment's oldest first."""
    return (
        _of_visible_shipments(TrackingEvent, user, Perm.VIEW_TRACKING_EVENT)
        .select_related("shipment", "user")
        .order_by("shipment_id", "occurred_at", "pk")
    )


def receipt_list(*, user) -> QuerySet[Receipt]:
    """Receipts of every shipment ``user`` may see, with their lines."""
    return (
        _of_visible_shipments(Receipt, user, Perm.VIEW_RECEIPT)
        .select_related("shipment", "received_by")
        .prefetch_related(Prefetch("lines", queryset=ReceiptLine.objects.select_related("item").order_by("item_id")))
        .order_by("shipment_id", "received_on", "pk")
    )
