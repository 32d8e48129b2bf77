"""The demonstration shipments ``demo.load`` loads: who sends what to whom, and where each
shipment's story ends."""

from dataclasses import dataclass

from programs.shipments.models import EventKind, ItemCategory, ShipmentStatus, TransportMode

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
