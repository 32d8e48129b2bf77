"""Reads of shipments, their items, journeys, receipts and discrepancies, scoped to who asks.

Staff who see everything read every shipment; a partner user reads only the shipments addressed to their
organisation (the consignee), and gets 404 for any other. Totals are derived from the items and receipt
lines in SQL, never stored, and never summed across currencies; a list or the dashboard costs the same
number of queries for five shipments as for five thousand.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperation.access import sees_everything
from cooperation.dates import days_after
from cooperation.money import MONEY_DIGITS, quantize
from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.selectors import messages_about
from cooperation.reference.models import Country, Currency
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.shipments.models import (
    DELIVERED,
    NOT_ARRIVED,
    ON_THE_WAY,
    QUANTITY_DIGITS,
    DelayAlertLog,
    Receipt,
    ReceiptLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    TrackingEvent,
)

ZERO = Decimal(0)
PERCENT = Decimal("0.01")
EXPIRY_WARNING_DAYS = 90
MONEY = DecimalField(**MONEY_DIGITS)
QUANTITY = DecimalField(**QUANTITY_DIGITS)
WEIGHT = DecimalField(max_digits=20, decimal_places=3)

LINE_VALUE = ExpressionWrapper(F("quantity") * F("unit_value"), output_field=MONEY)
LINE_WEIGHT = ExpressionWrapper(F("quantity") * F("unit_weight_kg"), output_field=WEIGHT)
NOT_GOOD = ExpressionWrapper(F("damaged") + F("lost"), output_field=QUANTITY)
NOT_GOOD_VALUE = ExpressionWrapper((F("damaged") + F("lost")) * F("item__unit_value"), output_field=MONEY)
GOOD_VALUE = ExpressionWrapper(F("good") * F("item__unit_value"), output_field=MONEY)
DISCREPANCY = Q(damaged__gt=0) | Q(lost__gt=0)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    if not whole:
        return ZERO.quantize(PERCENT)
    return (100 * Decimal(part) / Decimal(whole)).quantize(PERCENT, rounding=ROUND_HALF_EVEN)


def _money(amount, currency: Currency) -> Decimal:
    return quantize(Decimal(amount or 0), currency)


# --- shipments ----------------------------------------------------------------------------------------------------


def _visible_shipments(user) -> QuerySet[Shipment]:
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_SHIPMENT)):
        return Shipment.objects.none()
    if sees_everything(user):
        return Shipment.objects.all()
    # A draft is the officer's working copy: the consignee sees a shipment once its packing list is ready.
    return Shipment.objects.filter(consignee_id__in=user_organisation_ids(user)).exclude(status=ShipmentStatus.DRAFT)


def _per_shipment(model, expression, *conditions: Q, output_field=MONEY, link="shipment") -> Coalesce:
    rows = (
        model.objects.filter(*conditions, **{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Sum(expression))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=output_field), Value(ZERO), output_field=output_field)


def delayed_condition(today: datetime.date) -> Q:
    """Past the expected arrival and not arrived: what the delay alert and the 'delayed' filter mean."""
    return Q(status__in=NOT_ARRIVED, expected_arrival__lt=today)


def shipment_list(*, user, today: datetime.date | None = None) -> QuerySet[Shipment]:
    """Shipments ``user`` may see, annotated in SQL with ``item_count``, ``total_weight_kg``, ``has_discrepancy``
    (anything damaged or lost on a receipt) and ``is_delayed`` (past the expected arrival and not arrived)."""
    today = _today(today)
    discrepancies = ReceiptLine.objects.filter(DISCREPANCY, receipt__shipment=OuterRef("pk"))
    item_count = (
        ShipmentItem.objects.filter(shipment=OuterRef("pk")).order_by().values("shipment").annotate(n=Count("pk"))
    )
    return (
        _visible_shipments(user)
        .select_related("programme", "donor", "consignor", "consignee", "origin_country", "destination_country")
        .annotate(
            item_count=Coalesce(Subquery(item_count.values("n"), output_field=IntegerField()), Value(0)),
            total_weight_kg=_per_shipment(ShipmentItem, LINE_WEIGHT, output_field=WEIGHT),
            has_discrepancy=Exists(discrepancies),
            is_delayed=Case(When(delayed_condition(today), then=Value(True)), default=Value(False)),
        )
    )


def shipment_get(*, user, pk, today: datetime.date | None = None) -> Shipment:
    """One shipment ``user`` may see (404 otherwise), with the same annotations as ``shipment_list``."""
    queryset = shipment_list(user=user, today=today).select_related(
        "consignee_contact", "created_by", "prepared_by", "dispatch_approved_by"
    )
    return get_object_or_404(queryset, pk=pk)


def days_late(shipment: Shipment, today: datetime.date | None = None) -> int:
    today = _today(today)
    if shipment.status in NOT_ARRIVED and shipment.expected_arrival < today:
        return (today - shipment.expected_arrival).days
    return 0


def delayed_shipments(*, user, today: datetime.date | None = None) -> QuerySet[Shipment]:
    """Shipments past their expected arrival that have not arrived, the longest overdue first."""
    today = _today(today)
    return shipment_list(user=user, today=today).filter(delayed_condition(today)).order_by("expected_arrival", "pk")


# --- items and totals ---------------------------------------------------------------------------------------------


def shipment_items(*, user, shipment: Shipment) -> QuerySet[ShipmentItem]:
    """The packing list, each item annotated with ``total_weight_kg``, ``total_value`` and what the consignee
    counted so far: ``good``, ``damaged``, ``lost``, ``accounted`` and ``remaining`` (units still to count)."""
    if not user.has_perm(Perm.VIEW_SHIPMENT_ITEM) or not _visible_shipments(user).filter(pk=shipment.pk).exists():
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


# --- journey and receipts -----------------------------------------------------------------------------------------


def shipment_events(*, user, shipment: Shipment) -> QuerySet[TrackingEvent]:
    """The shipment's timeline, oldest first."""
    if not user.has_perm(Perm.VIEW_TRACKING_EVENT) or not _visible_shipments(user).filter(pk=shipment.pk).exists():
        return TrackingEvent.objects.none()
    return TrackingEvent.objects.filter(shipment=shipment).select_related("user").order_by("occurred_at", "pk")


def shipment_receipts(*, user, shipment: Shipment) -> QuerySet[Receipt]:
    if not user.has_perm(Perm.VIEW_RECEIPT) or not _visible_shipments(user).filter(pk=shipment.pk).exists():
        return Receipt.objects.none()
    return (
        Receipt.objects.filter(shipment=shipment)
        .select_related("received_by")
        .prefetch_related(Prefetch("lines", queryset=ReceiptLine.objects.select_related("item").order_by("item_id")))
    )


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


# --- the manager dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryAmount:
    country: Country
    currency: Currency
    amount: Decimal


@dataclass(frozen=True)
class DiscrepancyRate:
    """Damaged and lost ÷ sent, by value, over the shipments the consignees have counted (one currency)."""

    currency: Currency
    sent: Decimal
    not_good: Decimal

    @property
    def percent(self) -> Decimal:
        return _percent(self.not_good, self.sent)


@dataclass(frozen=True)
class ShipmentDashboard:
    by_status: dict[str, int]
    in_transit_count: int
    in_transit_value: list[CurrencyAmount]
    delivered_by_country: list[CountryAmount]
    discrepancy_rates: list[DiscrepancyRate]
    arrived_count: int
    on_time_count: int
    delayed_count: int

    @property
    def on_time_rate(self) -> Decimal:
        """Arrivals on or before the expected arrival, in percent of all arrivals."""
        return _percent(self.on_time_count, self.arrived_count)


def shipment_dashboard(*, user, today: datetime.date | None = None) -> ShipmentDashboard:
    """The managers' numbers, aggregated in SQL: seven queries whatever the number of shipments."""
    today = _today(today)
    shipments = _visible_shipments(user)
    visible_ids = shipments.values("pk")

    counts = shipments.order_by().aggregate(
        **{f"status_{status.value}": Count("pk", filter=Q(status=status)) for status in ShipmentStatus},
        arrived_total=Count("pk", filter=Q(arrived_on__isnull=False)),
        on_time_total=Count("pk", filter=Q(arrived_on__isnull=False, arrived_on__lte=F("expected_arrival"))),
        delayed_total=Count("pk", filter=delayed_condition(today)),
    )
    in_transit_rows = list(
        ShipmentItem.objects.filter(shipment__in=visible_ids, shipment__status__in=ON_THE_WAY)
        .order_by()
        .values("currency_id")
        .annotate(value=Sum(LINE_VALUE))
    )
    delivered_rows = list(
        ReceiptLine.objects.filter(receipt__shipment__in=visible_ids)
        .order_by()
        .values("receipt__shipment__destination_country_id", "item__currency_id")
        .annotate(value=Sum(GOOD_VALUE))
    )
    sent_rows = list(
        ShipmentItem.objects.filter(shipment__in=visible_ids, shipment__status__in=DELIVERED)
        .order_by()
        .values("currency_id")
        .annotate(sent=Sum(LINE_VALUE))
    )
    not_good_rows = {
        row["item__currency_id"]: row["value"]
        for row in ReceiptLine.objects.filter(
            receipt__shipment__in=visible_ids, receipt__shipment__status__in=DELIVERED
        )
        .order_by()
        .values("item__currency_id")
        .annotate(value=Sum(NOT_GOOD_VALUE))
    }

    codes = {row["currency_id"] for row in in_transit_rows + sent_rows}
    codes |= {row["item__currency_id"] for row in delivered_rows}
    currencies = Currency.objects.in_bulk(list(codes)) if codes else {}
    country_ids = {row["receipt__shipment__destination_country_id"] for row in delivered_rows}
    countries = Country.objects.in_bulk(list(country_ids)) if country_ids else {}

    delivered = [
        CountryAmount(
            countries[row["receipt__shipment__destination_country_id"]],
            currencies[row["item__currency_id"]],
            _money(row["value"], currencies[row["item__currency_id"]]),
        )
        for row in delivered_rows
    ]
    delivered.sort(key=lambda entry: (entry.currency.code, -entry.amount, entry.country.name))
    return ShipmentDashboard(
        by_status={status.value: counts[f"status_{status.value}"] for status in ShipmentStatus},
        in_transit_count=sum(counts[f"status_{status.value}"] for status in ON_THE_WAY),
        in_transit_value=[
            CurrencyAmount(currencies[row["currency_id"]], _money(row["value"], currencies[row["currency_id"]]))
            for row in sorted(in_transit_rows, key=lambda row: row["currency_id"])
        ],
        delivered_by_country=delivered,
        discrepancy_rates=[
            DiscrepancyRate(
                currency=currencies[row["currency_id"]],
                sent=_money(row["sent"], currencies[row["currency_id"]]),
                not_good=_money(not_good_rows.get(row["currency_id"]), currencies[row["currency_id"]]),
            )
            for row in sorted(sent_rows, key=lambda row: row["currency_id"])
        ],
        arrived_count=counts["arrived_total"],
        on_time_count=counts["on_time_total"],
        delayed_count=counts["delayed_total"],
    )


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


def item_list(*, user, today: datetime.date | None = None) -> QuerySet[ShipmentItem]:
    """Items of every shipment ``user`` may see, with the totals and counts of ``shipment_items`` and
    ``expiry_flag``: ``expired`` (it blocks the dispatch) or ``expiring`` within 90 days of the planned dispatch."""
    if not user.has_perm(Perm.VIEW_SHIPMENT_ITEM):
        return ShipmentItem.objects.none()
    counted = {
        name: _per_shipment(ReceiptLine, name, output_field=QUANTITY, link="item")
        for name in ("good", "damaged", "lost")
    }
    return (
        ShipmentItem.objects.filter(shipment__in=_visible_shipments(user).values("pk"))
        .select_related("shipment", "currency", "donor")
        .order_by("shipment_id", "pk")
        .annotate(total_weight_kg=LINE_WEIGHT, total_value=LINE_VALUE, expiry_flag=_expiry_flag(_today(today)))
        .annotate(**counted)
        .annotate(accounted=ExpressionWrapper(F("good") + F("damaged") + F("lost"), output_field=QUANTITY))
        .annotate(remaining=ExpressionWrapper(F("quantity") - F("accounted"), output_field=QUANTITY))
    )


def item_get(*, user, pk) -> ShipmentItem:
    return get_object_or_404(item_list(user=user), pk=pk)


def event_list(*, user) -> QuerySet[TrackingEvent]:
    """Tracking events of every shipment ``user`` may see, each shipment's oldest first."""
    if not user.has_perm(Perm.VIEW_TRACKING_EVENT):
        return TrackingEvent.objects.none()
    return (
        TrackingEvent.objects.filter(shipment__in=_visible_shipments(user).values("pk"))
        .select_related("shipment", "user")
        .order_by("shipment_id", "occurred_at", "pk")
    )


def event_get(*, user, pk) -> TrackingEvent:
    return get_object_or_404(event_list(user=user), pk=pk)


def receipt_list(*, user) -> QuerySet[Receipt]:
    """Receipts of every shipment ``user`` may see, with their lines."""
    if not user.has_perm(Perm.VIEW_RECEIPT):
        return Receipt.objects.none()
    return (
        Receipt.objects.filter(shipment__in=_visible_shipments(user).values("pk"))
        .select_related("shipment", "received_by")
        .prefetch_related(Prefetch("lines", queryset=ReceiptLine.objects.select_related("item").order_by("item_id")))
        .order_by("shipment_id", "received_on", "pk")
    )


def receipt_get(*, user, pk) -> Receipt:
    return get_object_or_404(receipt_list(user=user), pk=pk)
