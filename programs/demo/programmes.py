"""The shape of a demonstration programme, the short names its tables use, and the programmes of 2025."""

import datetime
from dataclasses import dataclass, field

from cooperation.reference.codes import ActivityStatus, OrganisationRole
from programs.models import CooperationForm, Objective

FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = (
    OrganisationRole.FUNDING,
    OrganisationRole.ACCOUNTABLE,
    OrganisationRole.EXTENDING,
    OrganisationRole.IMPLEMENTING,
)
FIN, TECH, CULT, KIND = (
    CooperationForm.FINANCIAL,
    CooperationForm.TECHNICAL,
    CooperationForm.CULTURAL,
    CooperationForm.IN_KIND,
)


@dataclass(frozen=True)
class DemoUpdate:
    reported_on: datetime.date
    author: str
    title: str
    body: str


@dataclass(frozen=True)
class DemoProgramme:
    code: str
    title: str
    description: str
    forms: tuple[CooperationForm, ...]
    status: ActivityStatus
    planned: tuple[datetime.date, datetime.date]
    budget: tuple[str, str]  # amount, currency code
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    objectives: tuple[Objective, ...]
    participants: tuple[tuple[str, OrganisationRole, str | None], ...]  # acronym, role, committed
    responsible: str = "officer"
    actual: tuple[datetime.date | None, datetime.date | None] = (None, None)
    updates: tuple[DemoUpdate, ...] = field(default=())


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


PROGRAMMES_2025 = (
    DemoProgramme(
        "KSM-2025-001",
        "Clean water for Kupang villages",
        "Piped water and household sanitation for twelve villages in Kupang regency, built and run with "
        "the communities.",
        (KIND, FIN),
        ActivityStatus.IMPLEMENTATION,
        (d(2025, 3, 1), d(2027, 2, 28)),
        ("1250000.00", "USD"),
        ("ID",),
        ("14030", "14031", "14032"),
        (Objective.DEVELOPMENT, Objective.HUMANITARIAN_AID),
        (("DKT", FUNDING, "900000.00"), ("RWI", EXTENDING, "150000.00"), ("YABN", IMPLEMENTING, None)),
        actual=(d(2025, 4, 14), None),
        updates=(
            DemoUpdate(
                d(2025, 9, 30),
                "partner",
                "Six villages connected",
                "Pipes laid to six of twelve villages; 1,840 households now have a tap within 50 metres.",
            ),
            DemoUpdate(
                d(2026, 3, 31),
                "officer",
                "Mid-term review",
                "The review found costs 4% under plan; the dry season delayed two reservoirs.",
            ),
            DemoUpdate(
                d(2026, 10, 15),
                "partner",
                "Water committees trained",
                "Each village elected a water committee; 96 members trained in maintenance and tariffs.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2025-002",
        "Maternal health clinics in Timor-Leste",
        "Equipment, medicines and midwife training for eight community health posts in Ermera and Liquiçá.",
        (KIND, TECH),
        ActivityStatus.IMPLEMENTATION,
        (d(2025, 6, 1), d(2027, 5, 31)),
        ("820000.00", "EUR"),
        ("TL",),
        ("12220", "12281", "12261"),
        (Objective.DEVELOPMENT, Objective.HUMAN_RIGHTS),
        (("DKT", FUNDING, "600000.00"), ("MS-TL", ACCOUNTABLE, None), ("FHK", IMPLEMENTING, "20000.00")),
        actual=(d(2025, 7, 1), None),
        updates=(
            DemoUpdate(
                d(2025, 11, 20),
                "partner2",
                "First four health posts equipped",
                "Delivery beds, sterilisers and solar fridges installed in Ermera; staff signed for all items.",
            ),
            DemoUpdate(
                d(2026, 6, 12),
                "partner2",
                "Midwife course completed",
                "24 midwives completed the six-week course; two posts still lack a resident midwife.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2025-003",
        "Rice resilience in Eastern Visayas",
        "Flood-tolerant rice varieties, extension services and post-harvest storage for farmer co-operatives.",
        (TECH, KIND),
        ActivityStatus.FINALISATION,
        (d(2024, 7, 1), d(2026, 6, 30)),
        ("48000000", "JPY"),
        ("PH",),
        ("31161", "31166", "31192"),
        (Objective.DEVELOPMENT,),
        (("OFCE", FUNDING, "48000000"), ("DA-RFO8", IMPLEMENTING, None), ("UTN", EXTENDING, "3500000")),
        actual=(d(2024, 8, 5), None),
        updates=(
            DemoUpdate(
                d(2026, 5, 30),
                "officer",
                "Final harvest data in",
                "Yields on flooded plots held at 3.9 t/ha against 1.6 t/ha for local varieties.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2025-004",
        "Microfinance for women-led enterprises in Mindanao",
        "A credit line through a local co-operative bank for small businesses led by women.",
        (FIN,),
        ActivityStatus.IMPLEMENTATION,
        (d(2025, 1, 15), d(2029, 12, 31)),
        ("3000000.00", "USD"),
        ("PH",),
        ("32130", "15170"),
        (Objective.DEVELOPMENT, Objective.ANTI_DISCRIMINATION),
        (("APDF", FUNDING, "2500000.00"), ("DKT", FUNDING, "500000.00"), ("MCB", IMPLEMENTING, None)),
        responsible="manager",
        actual=(d(2025, 2, 1), None),
    ),
    DemoProgramme(
        "KSM-2025-005",
        "Postgraduate scholarships in water engineering",
        "Master's scholarships at Universitas Teknologi Nusantara for engineers from Timor-Leste and Kenya.",
        (TECH,),
        ActivityStatus.IMPLEMENTATION,
        (d(2025, 8, 1), d(2028, 7, 31)),
        ("6500000000.00", "IDR"),
        ("TL", "KE"),
        ("11420", "14081"),
        (Objective.DEVELOPMENT,),
        (("DKT", FUNDING, "6500000000.00"), ("UTN", IMPLEMENTING, None), ("FHK", EXTENDING, None)),
        actual=(d(2025, 8, 18), None),
        updates=(
            DemoUpdate(
                d(2025, 9, 5),
                "officer",
                "First cohort enrolled",
                "Fourteen scholars enrolled: nine from Timor-Leste, five from Kenya; six are women.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2025-006",
        "Gamelan and tais: a Java–Timor cultural exchange",
        "Artists' residencies and joint performances linking Javanese gamelan and Timorese tais weaving.",
        (CULT,),
        ActivityStatus.CLOSED,
        (d(2025, 2, 1), d(2025, 11, 30)),
        ("450000000.00", "IDR"),
        ("ID", "TL"),
        ("16066",),
        (Objective.PEACE, Objective.FREE_EXPRESSION),
        (("DKT", FUNDING, "450000000.00"), ("FHK", IMPLEMENTING, None)),
        actual=(d(2025, 2, 10), d(2025, 11, 28)),
        updates=(
            DemoUpdate(
                d(2025, 11, 28),
                "partner2",
                "Closing exhibition in Dili",
                "1,200 visitors over three days; the weavers' cooperative sold 140 tais.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2025-007",
        "Cyclone relief supplies for Fiji and Vanuatu",
        "Tarpaulins, water purification tablets, hygiene kits and generators pre-positioned for the cyclone season.",
        (KIND,),
        ActivityStatus.CLOSED,
        (d(2025, 1, 10), d(2025, 6, 30)),
        ("380000.00", "AUD"),
        ("FJ", "VU"),
        ("72010", "74020"),
        (Objective.HUMANITARIAN_AID,),
        (("AVD", FUNDING, "380000.00"), ("PDRN", IMPLEMENTING, None)),
        actual=(d(2025, 1, 12), d(2025, 6, 20)),
    ),
    DemoProgramme(
        "KSM-2025-008",
        "Credit for weaving and coffee co-operatives in Timor-Leste",
        "Concessional credit and small grants, through a Timorese NGO, for tais weaving and coffee-processing "
        "co-operatives in Ermera and Ainaro.",
        (FIN,),
        ActivityStatus.IMPLEMENTATION,
        (d(2025, 9, 1), d(2028, 8, 31)),
        ("750000.00", "USD"),
        ("TL",),
        ("24040", "32130"),
        (Objective.DEVELOPMENT, Objective.ANTI_DISCRIMINATION),
        (("DKT", FUNDING, "600000.00"), ("APDF", FUNDING, "150000.00"), ("FHK", IMPLEMENTING, None)),
        actual=(d(2025, 10, 6), None),
    ),
)
