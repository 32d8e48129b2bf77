"""Demonstration shipments for ``manage.py load_demo``: every status, some delayed, some with discrepancies.

Each shipment goes through the same services and roles as the pages (the officer drafts, packs, dispatches
and records the journey; the manager approves the dispatch; the consignee's partner user counts what
arrived), so waybills, tracking events and receipts are real. Dates are relative to today. The transport
reference is the demo shipment's natural key: a second run finds every shipment and changes nothing.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from cooperation.reference.models import Country, Currency
from partners.selectors import user_organisation_ids
from programs.models import Programme
from programs.shipments import services
from programs.shipments.alerts import send_delay_alerts
from programs.shipments.models import EventKind, ItemCategory, Shipment, ShipmentStatus, TrackingEvent, TransportMode
from programs.shipments.selectors import shipment_list

S = ShipmentStatus
AIR, SEA, ROAD, RAIL = TransportMode.AIR, TransportMode.SEA, TransportMode.ROAD, TransportMode.RAIL
FOOD, WASH, SHELTER, BUILDING, MEDICAL, MACHINERY, OTHER = (
    ItemCategory.FOOD,
    ItemCategory.WASH,
    ItemCategory.SHELTER,
    ItemCategory.BUILDING,
    ItemCategory.MEDICAL,
    ItemCategory.MACHINERY,
    ItemCategory.OTHER,
)


@dataclass(frozen=True)
class DemoItem:
    category: ItemCategory
    description: str
    unit: str
    quantity: str
    unit_weight_kg: str
    unit_value: str
    currency: str
    expires_in_days: int | None = None  # from today; within 90 days the dispatch is flagged


@dataclass(frozen=True)
class DemoShipment:
    reference: str  # the transport reference: the demo shipment's natural key
    programme: str
    donor: str
    consignor: str
    consignee: str
    origin: tuple[str, str]  # country code, place
    destination: tuple[str, str]
    mode: TransportMode
    carrier: str
    ends: ShipmentStatus  # where its story ends
    dispatch_days_ago: int  # the planned (and, once dispatched, actual) dispatch; negative is still to come
    journey_days: int  # planned dispatch to expected arrival
    items: tuple[DemoItem, ...]
    approved: bool = False  # a ready shipment whose dispatch the manager already approved
    arrived_days_ago: int | None = None
    customs: tuple[EventKind, ...] = ()
    counts: tuple[tuple[str, str, str], ...] = ()  # per item: good, damaged, lost, on the consignee's receipt
    reason: str = ""  # for damage and loss on the receipt, or why it was cancelled or lost
    notes: str = ""


SHIPMENTS = (
    DemoShipment(
        "TRK-KBM-2231",
        "KSM-2026-003",
        "APDF",
        "APDF",
        "EAHL",
        ("KE", "Mombasa"),
        ("KE", "Lodwar"),
        ROAD,
        "Rift Valley Hauliers",
        S.DRAFT,
        -7,
        6,
        (
            DemoItem(FOOD, "Fortified maize flour, 25 kg bag", "bag", "1200", "25", "18.50", "USD", 75),
            DemoItem(
                FOOD,
                "Ready-to-use therapeutic food, carton of 150 sachets",
                "carton",
                "300",
                "14.5",
                "54.00",
                "USD",
                80,
            ),
        ),
        notes="Second round for the Turkana feeding centres; quantities wait for the nutrition survey.",
    ),
    DemoShipment(
        "AWB-205-8841-3310",
        "KSM-2026-004",
        "OFCE",
        "OFCE",
        "PDRN",
        ("JP", "Osaka"),
        ("PH", "Tacloban"),
        AIR,
        "Nippon Air Cargo",
        S.READY,
        -5,
        3,
        (
            DemoItem(MACHINERY, "Early-warning radio receiver", "piece", "60", "1.2", "9800", "JPY"),
            DemoItem(MEDICAL, "School first-aid kit", "kit", "60", "3.4", "4200", "JPY", 85),
            DemoItem(OTHER, "Evacuation route signs, set of 12", "set", "60", "6", "2500", "JPY"),
        ),
    ),
    DemoShipment(
        "BL-SUB-DIL-0417",
        "KSM-2025-002",
        "DKT",
        "DKT",
        "FHK",
        ("ID", "Surabaya"),
        ("TL", "Dili"),
        SEA,
        "Perusahaan Pelayaran Nusantara",
        S.READY,
        -2,
        9,
        (
            DemoItem(MACHINERY, "Delivery bed with stirrups", "piece", "8", "85", "1450.00", "EUR"),
            DemoItem(MACHINERY, "Solar vaccine refrigerator, 50 litres", "piece", "8", "62", "3900.00", "EUR"),
        ),
        approved=True,
    ),
    DemoShipment(
        "TRK-NTB-5520",
        "KSM-2026-009",
        "DKT",
        "DKT",
        "YABN",
        ("ID", "Surabaya"),
        ("ID", "Bima"),
        ROAD,
        "Trans Nusa Logistik",
        S.DISPATCHED,
        3,
        10,
        (
            DemoItem(BUILDING, "Corrugated roofing sheet, 3 m", "sheet", "1800", "7.5", "6.20", "USD"),
            DemoItem(BUILDING, "Roofing nails, 5 kg box", "box", "120", "5", "9.00", "USD"),
        ),
    ),
    DemoShipment(
        "BL-MSK-447120",
        "KSM-2025-002",
        "DKT",
        "DKT",
        "FHK",
        ("ID", "Jakarta"),
        ("TL", "Dili"),
        SEA,
        "Meratus Line",
        S.IN_TRANSIT,
        12,
        20,
        (
            DemoItem(MEDICAL, "Clean delivery kit", "kit", "2000", "0.4", "3.80", "EUR", 60),
            DemoItem(MEDICAL, "Oxytocin 10 IU, box of 50 ampoules", "box", "120", "0.3", "21.00", "EUR", 45),
            DemoItem(WASH, "Hygiene kit for mothers", "kit", "1000", "1.8", "7.50", "EUR"),
        ),
        customs=(EventKind.CUSTOMS_ENTRY, EventKind.CUSTOMS_HOLD, EventKind.CUSTOMS_RELEASE),
    ),
    DemoShipment(
        "SGR-MSA-NBO-88213",
        "KSM-2026-003",
        "APDF",
        "APDF",
        "EAHL",
        ("KE", "Mombasa"),
        ("KE", "Nairobi"),
        RAIL,
        "Madaraka Express Freight",
        S.IN_TRANSIT,
        40,
        30,
        (
            DemoItem(FOOD, "Sorghum grain, 50 kg bag", "bag", "2400", "50", "24.00", "USD"),
            DemoItem(WASH, "Collapsible water tank, 5,000 litres", "piece", "40", "38", "310.00", "USD"),
        ),
        customs=(EventKind.CUSTOMS_HOLD,),
    ),
    DemoShipment(
        "BL-RTM-KOE-20931",
        "KSM-2025-001",
        "RWI",
        "RWI",
        "YABN",
        ("NL", "Rotterdam"),
        ("ID", "Kupang"),
        SEA,
        "Maersk Line",
        S.DISPATCHED,
        60,
        45,
        (
            DemoItem(MACHINERY, "Solar borehole pump, 2.2 kW", "piece", "12", "95", "2650.00", "EUR"),
            DemoItem(BUILDING, "HDPE water pipe, 100 m roll", "roll", "80", "72", "410.00", "EUR"),
        ),
    ),
    DemoShipment(
        "AWB-131-5567-0092",
        "KSM-2026-004",
        "OFCE",
        "OFCE",
        "PDRN",
        ("JP", "Tokyo"),
        ("PH", "Tacloban"),
        AIR,
        "Nippon Air Cargo",
        S.IN_TRANSIT,
        9,
        3,
        (DemoItem(MACHINERY, "Diesel generator, 5 kVA", "piece", "10", "110", "185000", "JPY"),),
    ),
    DemoShipment(
        "TRK-KPG-1187",
        "KSM-2025-001",
        "DKT",
        "DKT",
        "YABN",
        ("ID", "Kupang"),
        ("ID", "Soe"),
        ROAD,
        "CV Timor Angkutan",
        S.ARRIVED,
        8,
        5,
        arrived_days_ago=2,
        items=(
            DemoItem(WASH, "Household ceramic water filter", "piece", "900", "4.5", "22.00", "USD"),
            DemoItem(WASH, "Jerrycan, 20 litres", "piece", "1800", "1.1", "3.40", "USD"),
        ),
    ),
    DemoShipment(
        "AWB-126-4410-7751",
        "KSM-2025-002",
        "DKT",
        "DKT",
        "FHK",
        ("ID", "Jakarta"),
        ("TL", "Dili"),
        AIR,
        "Garuda Indonesia Cargo",
        S.ARRIVED,
        3,
        2,
        arrived_days_ago=1,
        items=(
            DemoItem(MEDICAL, "Midwifery kit", "kit", "24", "6.5", "240.00", "EUR", 85),
            DemoItem(MEDICAL, "Magnesium sulphate 50%, box of 10 ampoules", "box", "200", "0.4", "12.00", "EUR", 70),
        ),
    ),
    DemoShipment(
        "TRK-NTB-5488",
        "KSM-2026-009",
        "DKT",
        "DKT",
        "YABN",
        ("ID", "Surabaya"),
        ("ID", "Bima"),
        ROAD,
        "Trans Nusa Logistik",
        S.PARTIALLY_RECEIVED,
        30,
        10,
        arrived_days_ago=20,
        items=(
            DemoItem(BUILDING, "Portland cement, 40 kg bag", "bag", "400", "40", "5.10", "USD"),
            DemoItem(MACHINERY, "Carpentry tool kit", "kit", "150", "9", "38.00", "USD"),
        ),
        counts=(("340", "30", "0"), ("0", "0", "0")),
        reason="Bags split when the truck was caught in the rain; the tool kits are still at the district store.",
    ),
    DemoShipment(
        "TRK-NTB-5401",
        "KSM-2026-009",
        "DKT",
        "DKT",
        "YABN",
        ("ID", "Surabaya"),
        ("ID", "Bima"),
        ROAD,
        "Trans Nusa Logistik",
        S.RECEIVED,
        50,
        10,
        arrived_days_ago=41,
        items=(
            DemoItem(BUILDING, "Corrugated roofing sheet, 3 m", "sheet", "2400", "7.5", "6.20", "USD"),
            DemoItem(SHELTER, "Family tarpaulin, 4 × 6 m", "piece", "600", "2.2", "8.75", "USD"),
        ),
        counts=(("2400", "0", "0"), ("600", "0", "0")),
    ),
    DemoShipment(
        "BL-SUB-DIL-0388",
        "KSM-2025-002",
        "DKT",
        "DKT",
        "FHK",
        ("ID", "Surabaya"),
        ("TL", "Dili"),
        SEA,
        "Perusahaan Pelayaran Nusantara",
        S.RECEIVED,
        70,
        9,
        arrived_days_ago=58,
        items=(
            DemoItem(MACHINERY, "Solar vaccine refrigerator, 50 litres", "piece", "12", "62", "3900.00", "EUR"),
            DemoItem(MEDICAL, "Vaccine carrier, 2 litres", "piece", "40", "1.6", "28.00", "EUR"),
        ),
        counts=(("12", "0", "0"), ("36", "1", "3")),
        reason="Three carriers missing from the pallet at Dili port, one cracked; reported to the port authority.",
    ),
    DemoShipment(
        "TRK-DIL-0091",
        "KSM-2026-011",
        "APDF",
        "MS-TL",
        "FHK",
        ("TL", "Dili"),
        ("TL", "Baucau"),
        ROAD,
        "",
        S.CANCELLED,
        -20,
        2,
        (DemoItem(MEDICAL, "GeneXpert MTB/RIF cartridge, box of 10", "box", "50", "0.8", "99.80", "USD", 88),),
        reason="The Ministry of Health bought the cartridges from its own budget.",
    ),
    DemoShipment(
        "BL-BNE-SUV-7702",
        "KSM-2025-007",
        "AVD",
        "AVD",
        "PDRN",
        ("AU", "Brisbane"),
        ("FJ", "Suva"),
        SEA,
        "Pacific Forum Line",
        S.LOST,
        75,
        12,
        (
            DemoItem(SHELTER, "Heavy-duty tarpaulin, 4 × 6 m", "piece", "3000", "2.2", "9.00", "USD"),
            DemoItem(WASH, "Water purification tablets, pack of 50", "pack", "5000", "0.05", "1.20", "USD"),
        ),
        reason="The container went overboard in a storm off Lautoka; the carrier confirmed the loss.",
    ),
)

STATUS_PATHS = {
    S.READY: ("ready",),
    S.DISPATCHED: ("ready", "approve", "dispatch"),
    S.IN_TRANSIT: ("ready", "approve", "dispatch", "in_transit", "customs"),
    S.ARRIVED: ("ready", "approve", "dispatch", "in_transit", "arrive"),
    S.PARTIALLY_RECEIVED: ("ready", "approve", "dispatch", "in_transit", "arrive", "receive"),
    S.RECEIVED: ("ready", "approve", "dispatch", "in_transit", "arrive", "receive"),
    S.CANCELLED: ("cancel",),
    S.LOST: ("ready", "approve", "dispatch", "customs", "lost"),
}


def _days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


def _event_time(day: datetime.date, hour: int) -> datetime.datetime:
    # Never after now: a journey event in the future is refused.
    return min(timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), timezone.now())


@dataclass
class _Story:
    demo: DemoShipment
    shipment: Shipment
    users: dict
    today: datetime.date

    def ready(self):
        services.shipment_mark_ready(shipment=self.shipment, prepared_by=self.users["officer"])

    def approve(self):
        services.shipment_approve_dispatch(shipment=self.shipment, approved_by=self.users["manager"])

    def dispatch(self):
        services.shipment_dispatch(
            shipment=self.shipment,
            dispatched_by=self.users["officer"],
            dispatched_on=_days_ago(self.today, self.demo.dispatch_days_ago),
        )

    def customs(self):
        entered = _days_ago(self.today, max(self.demo.dispatch_days_ago - self.demo.journey_days // 2, 0))
        notes = {
            EventKind.CUSTOMS_ENTRY: "Declaration lodged with the import permit.",
            EventKind.CUSTOMS_HOLD: "Held for inspection: the medicines' import licence was asked for.",
            EventKind.CUSTOMS_RELEASE: "Released after inspection.",
        }
        for hour, kind in enumerate(self.demo.customs, start=9):
            services.tracking_event_add(
                shipment=self.shipment,
                added_by=self.users["officer"],
                kind=kind,
                occurred_at=_event_time(entered, hour),
                place=self.demo.destination[1],
                note=notes[kind],
            )

    def in_transit(self):
        services.shipment_mark_in_transit(
            shipment=self.shipment, updated_by=self.users["officer"], place=self.demo.origin[1]
        )

    def arrive(self):
        services.shipment_arrive(
            shipment=self.shipment,
            updated_by=self.users["officer"],
            arrived_on=_days_ago(self.today, self.demo.arrived_days_ago),
        )

    def _consignee_user(self):
        # Only the consignee's staff count what arrived: the demo's consignees are `partner`'s and `partner2`'s.
        for username in ("partner", "partner2"):
            if self.shipment.consignee_id in user_organisation_ids(self.users[username]):
                return self.users[username]
        raise ValueError(f"No demo user works for the consignee of {self.demo.reference}.")

    def receive(self):
        items = self.shipment.items.order_by("pk")
        lines = [
            {
                "item": item,
                "good": good,
                "damaged": damaged,
                "lost": lost,
                "reason": self.demo.reason if Decimal(damaged) or Decimal(lost) else "",
            }
            for item, (good, damaged, lost) in zip(items, self.demo.counts, strict=True)
        ]
        services.receipt_confirm(
            shipment=self.shipment,
            received_by=self._consignee_user(),
            received_on=_days_ago(self.today, max(self.demo.arrived_days_ago - 1, 0)),
            lines=lines,
        )

    def cancel(self):
        services.shipment_cancel(shipment=self.shipment, cancelled_by=self.users["officer"], reason=self.demo.reason)

    def lost(self):
        services.shipment_mark_lost(
            shipment=self.shipment, updated_by=self.users["officer"], reason=self.demo.reason, place="Lautoka"
        )


# Steps whose service records "now" (they carry no date): (kind, status after) → (days from the dispatch, hour).
UNDATED_STEPS = {
    (EventKind.STATUS_CHANGE, S.DRAFT): (-3, 9),
    (EventKind.STATUS_CHANGE, S.READY): (-2, 10),
    (EventKind.NOTE, ""): (-1, 11),  # the manager's approval of the dispatch
    (EventKind.STATUS_CHANGE, S.IN_TRANSIT): (1, 8),
}


def _backdate_undated_steps(shipment: Shipment, demo: DemoShipment, today: datetime.date) -> None:
    """The demo plays a whole journey today: drafting, packing, approval and "in transit" would all read
    as today, after the arrival. Move them around the dispatch date, so the timeline reads in order."""
    if demo.dispatch_days_ago < 0 or demo.ends == S.CANCELLED:
        return
    dispatched = _days_ago(today, demo.dispatch_days_ago)
    for event in TrackingEvent.objects.filter(shipment=shipment):
        step = UNDATED_STEPS.get((event.kind, event.status_after))
        if step is not None:
            days, hour = step
            moment = _event_time(dispatched + datetime.timedelta(days=days), hour)
            TrackingEvent.objects.filter(pk=event.pk).update(occurred_at=moment)


def _create(demo: DemoShipment, users, organisations, today: datetime.date) -> Shipment:
    officer = users["officer"]
    planned = _days_ago(today, demo.dispatch_days_ago)
    shipment = services.shipment_create(
        created_by=officer,
        programme=Programme.objects.get(code=demo.programme),
        donor=organisations[demo.donor],
        consignor=organisations[demo.consignor],
        consignee=organisations[demo.consignee],
        origin_country=Country.objects.get(code=demo.origin[0]),
        origin_place=demo.origin[1],
        destination_country=Country.objects.get(code=demo.destination[0]),
        destination_place=demo.destination[1],
        mode=demo.mode,
        carrier=demo.carrier,
        transport_reference=demo.reference,
        planned_dispatch=planned,
        expected_arrival=planned + datetime.timedelta(days=demo.journey_days),
        notes=demo.notes,
    )
    for item in demo.items:
        services.item_add(
            shipment=shipment,
            added_by=officer,
            category=item.category,
            description=item.description,
            unit=item.unit,
            quantity=Decimal(item.quantity),
            unit_weight_kg=Decimal(item.unit_weight_kg),
            unit_value=Decimal(item.unit_value),
            currency=Currency.objects.get(code=item.currency),
            expiry_date=today + datetime.timedelta(days=item.expires_in_days) if item.expires_in_days else None,
        )
    steps = STATUS_PATHS.get(demo.ends, ())
    if demo.approved:
        steps = ("ready", "approve")
    story = _Story(demo, shipment, users, today)
    for step in steps:
        if step == "customs" and not demo.customs:
            continue
        getattr(story, step)()
    _backdate_undated_steps(shipment, demo, today)
    shipment.refresh_from_db()
    if shipment.status != demo.ends:
        raise ValueError(f"Demo shipment {demo.reference} ended {shipment.status}, not {demo.ends}.")
    return shipment


def load_demo_shipments(users: dict, organisations: dict, today: datetime.date, *, log: Callable[[str], None]) -> str:
    """Create the demo shipments that are missing, alert the delays, and return the summary line."""
    for demo in SHIPMENTS:
        if Shipment.objects.filter(transport_reference=demo.reference).exists():
            continue
        shipment = _create(demo, users, organisations, today)
        log(f"  shipment {shipment.waybill} created ({shipment.get_status_display()})")
    # The same service as the daily job: each delay is logged and alerted once.
    alerts = send_delay_alerts(today=today)
    by_status = dict(Shipment.objects.order_by().values_list("status").annotate(count=Count("pk")))
    statuses = ", ".join(f"{by_status[status]} {status.label.lower()}" for status in S if status in by_status)
    shipments = shipment_list(user=users["manager"], today=today)
    return (
        f"Shipments: {sum(by_status.values())} ({statuses or 'none'}); "
        f"{shipments.filter(is_delayed=True).count()} delayed, "
        f"{shipments.filter(has_discrepancy=True).count()} with discrepancies; "
        f"{len(alerts)} delay alert(s) sent today."
    )


def load(*, run) -> str:
    """``manage.py load_demo``'s loader (registered in ``apps.py``)."""
    return load_demo_shipments(run.users, run.organisations, run.today, log=run.log)
