"""Shipments as the user may see them, their items and totals."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from cooperation.date_spans import DateSpan
from cooperation.dates import days_after
from cooperation.pages import in_order
from cooperation.records import with_related, with_related_all
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.selectors import per_row, today_or, visible_records
from programs.shipments.models import NOT_ARRIVED, ReceiptLine, Shipment, ShipmentItem, ShipmentStatus, ShipmentValue
from programs.shipments.selectors._common import (
    DISCREPANCY,
    EXPIRY_WARNING_DAYS,
    LINE_VALUE,
    LINE_WEIGHT,
    MONEY,
    QUANTITY,
    WEIGHT,
    ZERO,
    _money,
)

# --- shipments ----------------------------------------------------------------------------------------------------


def _visible_shipments(user) -> QuerySet[Shipment]:
    """The shipments ``user`` may see: the consignee sees a shipment once its packing list is ready."""
    return visible_records(user, Shipment, Perm.VIEW_SHIPMENT, "consignee", draft=ShipmentStatus.DRAFT)


def narrowed_shipments(
    shipments: QuerySet[Shipment],
    *,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period: DateSpan | None = None,
) -> QuerySet[Shipment]:
    """``shipments`` of the programmes whose ids ``programmes`` selects, carrying goods valued in ``currency`` (a
    code), dispatched within ``period``; each left out when None."""
    if programmes is not None:
        shipments = shipments.filter(programme_id__in=programmes)
    if currency is not None:
        # Its values in a currency exist exactly when it carries goods valued in it: one row per currency to look up.
        shipments = shipments.filter(
            Exists(ShipmentValue.objects.filter(shipment=OuterRef("pk"), currency_id=currency))
        )
    if period is not None:
        shipments = shipments.filter(period.within("dispatched_on"))
    return shipments


def _per_shipment(model, expression, *conditions: Q, output_field=MONEY, link="shipment") -> Coalesce:
    return per_row(model.objects.filter(*conditions), link, Sum(expression), output_field=output_field, otherwise=ZERO)


def delayed_condition(today: datetime.date) -> Q:
    """Past the expected arrival and not arrived: what the delay alert and the 'delayed' filter mean."""
    return Q(status__in=NOT_ARRIVED, expected_arrival__lt=today)


def discrepancy_condition() -> Q:
    """Anything damaged or lost on one of the shipment's receipts: what the 'with discrepancies' filter means."""
    return Q(Exists(ReceiptLine.objects.filter(DISCREPANCY, receipt__shipment=OuterRef("pk"))))


def shipment_rows(*, user) -> QuerySet[Shipment]:
    """Shipments ``user`` may see, without the figures of ``shipment_list``: what a list sorts, filters and pages
    before ``shipment_page`` reads the figures of the page's rows alone."""
    return _visible_shipments(user)


def shipment_page(ids, *, user, today: datetime.date | None = None) -> list[Shipment]:
    """The shipments of a list's page (their ``ids`` in the list's order) with the figures of ``shipment_list``, and
    the records they point at read by id (``cooperation.records``) rather than joined: six joins of 25 rows took
    PostgreSQL longer to plan than the three lookups take to run."""
    rows = in_order(ids, shipment_list(user=user, today=today).select_related(None))
    return with_related_all(rows, *SHIPMENT_LINKS)


# What a shipment in a list shows of the records it points at.
SHIPMENT_LINKS = ("programme", "donor", "consignor", "consignee", "origin_country", "destination_country")


def shipment_list(*, user, today: datetime.date | None = None) -> QuerySet[Shipment]:
    """Shipments ``user`` may see, annotated in SQL with ``item_count``, ``total_weight_kg``, ``has_discrepancy``
    (anything damaged or lost on a receipt) and ``is_delayed`` (past the expected arrival and not arrived)."""
    today = today_or(today)
    discrepancies = ReceiptLine.objects.filter(DISCREPANCY, receipt__shipment=OuterRef("pk"))
    return (
        _visible_shipments(user)
        .select_related(*SHIPMENT_LINKS)
        .annotate(
            item_count=per_row(
                ShipmentItem.objects.all(), "shipment", Count("pk"), output_field=IntegerField(), otherwise=0
            ),
            total_weight_kg=_per_shipment(ShipmentItem, LINE_WEIGHT, output_field=WEIGHT),
            has_discrepancy=Exists(discrepancies),
            is_delayed=Case(When(delayed_condition(today), then=Value(True)), default=Value(False)),
        )
    )


def shipment_get(*, user, pk, today: datetime.date | None = None) -> Shipment:
    """One shipment ``user`` may see (404 otherwise), with the same annotations as ``shipment_list`` and the
    records it points at, read by id rather than joined (see ``cooperation.records``)."""
    queryset = shipment_list(user=user, today=today).select_related(None).select_related("programme")
    shipment = with_related(
        get_object_or_404(queryset, pk=pk),
        *("donor", "consignor", "consignee", "consignee_contact", "origin_country", "destination_country"),
        *("created_by", "prepared_by", "dispatch_approved_by"),
    )
    shipment.read_for_user_id = user.pk  # what its page lists then need not ask again whether the user sees it
    return shipment


def shown_to(user, shipment: Shipment) -> bool:
    """Whether ``user`` may see ``shipment``: known without a query when ``shipment_get`` read it for them."""
    if user.pk is not None and getattr(shipment, "read_for_user_id", None) == user.pk:
        return True
    return _visible_shipments(user).filter(pk=shipment.pk).exists()


def days_late(shipment: Shipment, today: datetime.date | None = None) -> int:
    today = today_or(today)
    if shipment.status in NOT_ARRIVED and shipment.expected_arrival < today:
        return (today - shipment.expected_arrival).days
    return 0


def delayed_shipments(*, user, today: datetime.date | None = None, **narrowing) -> QuerySet[Shipment]:
    """Shipments past their expected arrival that have not arrived, the longest overdue first, with their consignee;
    ``narrowing`` (``programmes``, ``currency``, ``period``) as in ``narrowed_shipments``. Read by the index on status
    and expected arrival, without the figures of ``shipment_list``: a dashboard shows the first few."""
    today = today_or(today)
    shipments = narrowed_shipments(_visible_shipments(user), **narrowing).select_related("consignee")
    return shipments.filter(delayed_condition(today)).order_by("expected_arrival", "pk")


# --- items and totals ---------------------------------------------------------------------------------------------


def shipment_items(*, user, shipment: Shipment) -> QuerySet[ShipmentItem]:
    """The packing list, each item annotated with ``total_weight_kg``, ``total_value`` and what the consignee
    counted so far: ``good``, ``damaged``, ``lost``, ``accounted`` and ``remaining`` (units still to count)."""
    if not user.has_perm(Perm.VIEW_SHIPMENT_ITEM) or not shown_to(user, shipment):
        return ShipmentItem.objects.none()
    counted = {
        name: _per_shipment(ReceiptLine, name, output_field=QUANTITY, link="item")
        for name in ("good", "damaged", "lost")
    }
    return (
        ShipmentItem.objects.filter(shipment=shipment)
        .select_related("currency", "donor")
        .order_by("pk")
        .annotate(total_weight_kg=LINE_WEIGHT, total_value=LINE_VALUE, **counted)
        .annotate(accounted=ExpressionWrapper(F("good") + F("damaged") + F("lost"), output_field=QUANTITY))
        .annotate(remaining=ExpressionWrapper(F("quantity") - F("accounted"), output_field=QUANTITY))
    )


@dataclass(frozen=True)
class CurrencyAmount:
    """A value in one currency: values in different currencies are listed side by side, never summed."""

    currency: Currency
    amount: Decimal


@dataclass(frozen=True)
class ShipmentTotals:
    weight_kg: Decimal = ZERO
    values: list[CurrencyAmount] = field(default_factory=list)  # one per currency, never summed across them
    item_count: int = 0


def shipment_totals(*, shipment: Shipment) -> ShipmentTotals:
    """The weight and the value per currency of a packing list, in one query."""
    rows = list(
        ShipmentItem.objects.filter(shipment=shipment)
        .order_by()
        .values("currency_id")
        .annotate(value=Sum(LINE_VALUE), weight=Sum(LINE_WEIGHT), count=Count("pk"))
    )
    currencies = Currency.objects.in_bulk([row["currency_id"] for row in rows]) if rows else {}
    return ShipmentTotals(
        weight_kg=sum((Decimal(row["weight"] or 0) for row in rows), ZERO).quantize(Decimal("0.001")),
        values=[
            CurrencyAmount(currencies[row["currency_id"]], _money(row["value"], currencies[row["currency_id"]]))
            for row in sorted(rows, key=lambda row: row["currency_id"])
        ],
        item_count=sum(row["count"] for row in rows),
    )


def expired_items(*, shipment: Shipment, on: datetime.date) -> QuerySet[ShipmentItem]:
    """Items whose expiry date is before ``on``: they block the dispatch."""
    return ShipmentItem.objects.filter(shipment=shipment, expiry_date__lt=on).order_by("expiry_date", "pk")


def expiry_warnings(*, shipment: Shipment, days: int = EXPIRY_WARNING_DAYS) -> QuerySet[ShipmentItem]:
    """Items expiring within ``days`` of the planned dispatch (not already expired): flagged before dispatch."""
    start = shipment.planned_dispatch
    return ShipmentItem.objects.filter(
        shipment=shipment, expiry_date__gte=start, expiry_date__lte=days_after(start, days)
    ).order_by("expiry_date", "pk")
