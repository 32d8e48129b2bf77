"""Load a realistic demonstration data set: users of every role, partners, programmes and their updates.

Idempotent: every record is looked up by its natural key (username, organisation
name, contact email, programme code, update title) and created through the
services only when missing, so a second run changes nothing.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cooperation.accounts.user_access import user_set_roles
from cooperation.money import quantize
from cooperation.reference.codes import ActivityStatus, OrganisationRole, OrganisationType
from cooperation.reference.models import Country, Currency, Sector
from cooperation.roles import Role
from partners import services as partner_services
from partners.models import Contact, Membership, Organisation
from programs import services as programme_services
from programs.finance import services as finance_services
from programs.finance.models import (
    AmortizationMethod,
    Frequency,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)
from programs.finance.reminders import send_due_reminders
from programs.finance.schedule import add_months
from programs.models import CooperationForm, Objective, Programme, ProgrammeUpdate
from programs.scholarships.demo import load_demo_scholarships
from programs.shipments.demo import load_demo_shipments

DEMO_PASSWORD = "kerjasama-demo"  # noqa: S105 — a published demo password, refused in production mode

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
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: Role
    organisation: str = ""  # partner users: the organisation they work for


USERS = (
    DemoUser("admin", "Rudi", "Hartono", Role.ADMINISTRATOR),
    DemoUser("manager", "Sri", "Wahyuni", Role.MANAGER),
    DemoUser("officer", "Budi", "Santoso", Role.OFFICER),
    DemoUser("auditor", "Hannah", "Schmidt", Role.AUDITOR),
    DemoUser("partner", "Siti", "Rahmawati", Role.PARTNER, "Yayasan Air Bersih Nusantara"),
    DemoUser("partner2", "João", "da Costa Belo", Role.PARTNER, "Fundasaun Haburas Komunidade"),
)


@dataclass(frozen=True)
class DemoContact:
    name: str
    email: str
    position: str
    phone: str = ""
    receives_reminders: bool = False
    preferred_language: str = "en"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    acronym: str
    kind: OrganisationType
    country: str
    iati_identifier: str
    website: str
    address: str
    contacts: tuple[DemoContact, ...] = ()


ORGANISATIONS = (
    DemoOrganisation(
        "Directorate of Technical Cooperation",
        "DKT",
        OrganisationType.GOVERNMENT,
        "ID",
        "ID-GOV-0101",
        "https://dkt.example.go.id",
        "Jl. Taman Pejambon No. 6, Jakarta Pusat 10110",
        (
            DemoContact("Agus Pratama", "agus.pratama@dkt.example.go.id", "Director", "+62 21 344 1508", True, "id"),
            DemoContact(
                "Ratna Sari", "ratna.sari@dkt.example.go.id", "Head of South-South cooperation", preferred_language="id"
            ),
        ),
    ),
    DemoOrganisation(
        "Ministry of Health of Timor-Leste",
        "MS-TL",
        OrganisationType.GOVERNMENT,
        "TL",
        "TL-GOV-MS",
        "https://ms.example.gov.tl",
        "Rua de Caicoli, Dili",
        (DemoContact("Ana Soares", "ana.soares@ms.example.gov.tl", "Public health director", "+670 3310009", True),),
    ),
    DemoOrganisation(
        "Department of Agriculture, Eastern Visayas",
        "DA-RFO8",
        OrganisationType.LOCAL_GOVERNMENT,
        "PH",
        "PH-LGU-0808",
        "https://rfo8.example.gov.ph",
        "Kanhuraw Hill, Tacloban City, Leyte",
        (DemoContact("Ramon dela Cruz", "ramon.delacruz@rfo8.example.gov.ph", "Regional technical director"),),
    ),
    DemoOrganisation(
        "Yayasan Air Bersih Nusantara",
        "YABN",
        OrganisationType.NATIONAL_NGO,
        "ID",
        "ID-NGO-0417",
        "https://airbersih.example.org",
        "Jl. El Tari No. 12, Kupang, Nusa Tenggara Timur",
        (
            DemoContact("Siti Rahmawati", "siti@airbersih.example.org", "Programme lead", "+62 380821455", True, "id"),
            DemoContact("Yohanes Lado", "yohanes@airbersih.example.org", "Field engineer", "", False, "id"),
        ),
    ),
    DemoOrganisation(
        "Fundasaun Haburas Komunidade",
        "FHK",
        OrganisationType.PARTNER_COUNTRY_NGO,
        "TL",
        "TL-NGO-0033",
        "https://haburas.example.tl",
        "Rua de Bidau Lecidere, Dili",
        (DemoContact("João da Costa Belo", "joao@haburas.example.tl", "Executive director", "+670 7723 4410", True),),
    ),
    DemoOrganisation(
        "Pacific Disaster Relief Network",
        "PDRN",
        OrganisationType.REGIONAL_NGO,
        "FJ",
        "FJ-NGO-2210",
        "https://pdrn.example.org",
        "Victoria Parade 78, Suva",
        (DemoContact("Mere Tuilagi", "mere@pdrn.example.org", "Logistics coordinator", "+679 331 2200", True),),
    ),
    DemoOrganisation(
        "Asia-Pacific Development Fund",
        "APDF",
        OrganisationType.MULTILATERAL,
        "PH",
        "XM-APDF-40001",
        "https://apdf.example.int",
        "6 Development Avenue, Mandaluyong City, Metro Manila",
        (
            DemoContact("Li Wei", "li.wei@apdf.example.int", "Senior loan officer", "", True),
            DemoContact("Priya Raman", "priya.raman@apdf.example.int", "Portfolio analyst"),
        ),
    ),
    DemoOrganisation(
        "Universitas Teknologi Nusantara",
        "UTN",
        OrganisationType.ACADEMIC,
        "ID",
        "ID-UNI-0880",
        "https://utn.example.ac.id",
        "Jl. Grafika No. 2, Yogyakarta",
        (DemoContact("Dr. Wahyu Nugroho", "wahyu.nugroho@utn.example.ac.id", "Dean of engineering", "", False, "id"),),
    ),
    DemoOrganisation(
        "Kenya Institute for Dryland Research",
        "KIDR",
        OrganisationType.ACADEMIC,
        "KE",
        "KE-ACA-0412",
        "https://kidr.example.ac.ke",
        "Box 30197, Nairobi",
        (DemoContact("Grace Wanjiru", "grace.wanjiru@kidr.example.ac.ke", "Research director", "+254 20 491 000"),),
    ),
    DemoOrganisation(
        "Osaka Foundation for Cultural Exchange",
        "OFCE",
        OrganisationType.FOUNDATION,
        "JP",
        "JP-FDN-5521",
        "https://ofce.example.or.jp",
        "2-1 Nakanoshima, Kita-ku, Osaka",
        (DemoContact("Yuki Tanaka", "yuki.tanaka@ofce.example.or.jp", "Programme officer"),),
    ),
    DemoOrganisation(
        "Sakura Engineering Co., Ltd.",
        "Sakura Eng.",
        OrganisationType.PRIVATE_SECTOR_PROVIDER,
        "JP",
        "JP-COH-7780112",
        "https://sakura-eng.example.co.jp",
        "1-9-1 Marunouchi, Chiyoda-ku, Tokyo",
        (DemoContact("Kenji Watanabe", "k.watanabe@sakura-eng.example.co.jp", "Project director", "", True),),
    ),
    DemoOrganisation(
        "Australian Volunteers for Development",
        "AVD",
        OrganisationType.INTERNATIONAL_NGO,
        "AU",
        "AU-ABN-51004085616",
        "https://avd.example.org.au",
        "121 Flinders Lane, Melbourne VIC 3000",
        (DemoContact("Olivia Harris", "olivia.harris@avd.example.org.au", "Country manager, Timor-Leste", "", True),),
    ),
    DemoOrganisation(
        "Mindanao Cooperative Bank",
        "MCB",
        OrganisationType.PRIVATE_SECTOR_RECIPIENT,
        "PH",
        "PH-SEC-CS2009",
        "https://mcb.example.com.ph",
        "J.P. Laurel Avenue, Davao City",
        (DemoContact("Carmelita Reyes", "c.reyes@mcb.example.com.ph", "Credit operations head", "", True),),
    ),
    DemoOrganisation(
        "East Africa Humanitarian Logistics",
        "EAHL",
        OrganisationType.INTERNATIONAL_NGO,
        "KE",
        "KE-NGO-1190",
        "https://eahl.example.org",
        "Mombasa Road, Nairobi",
        (DemoContact("Daniel Otieno", "daniel.otieno@eahl.example.org", "Head of operations"),),
    ),
    DemoOrganisation(
        "Rotterdam Water Institute",
        "RWI",
        OrganisationType.PUBLIC_PRIVATE_PARTNERSHIP,
        "NL",
        "NL-KVK-40123456",
        "https://rwi.example.nl",
        "Westersingel 12, Rotterdam",
        (DemoContact("Pieter de Vries", "pieter@rwi.example.nl", "International programmes lead"),),
    ),
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


PROGRAMMES = (
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
    DemoProgramme(
        "KSM-2026-001",
        "Solar mini-grids for outer islands",
        "Solar mini-grids with battery storage for five island communities in Nusa Tenggara Timur.",
        (FIN, TECH),
        ActivityStatus.PIPELINE,
        (d(2027, 1, 1), d(2029, 12, 31)),
        ("2100000.00", "EUR"),
        ("ID",),
        ("23231", "23181"),
        (Objective.DEVELOPMENT,),
        (("APDF", FUNDING, "1800000.00"), ("Sakura Eng.", IMPLEMENTING, None), ("YABN", EXTENDING, None)),
    ),
    DemoProgramme(
        "KSM-2026-002",
        "Dryland farming research partnership",
        "Joint research between Indonesian and Kenyan institutes on drought-tolerant sorghum and water harvesting.",
        (TECH,),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 1, 1), d(2028, 12, 31)),
        ("640000.00", "USD"),
        ("KE", "ID"),
        ("31182", "31140"),
        (Objective.DEVELOPMENT,),
        (("DKT", FUNDING, "640000.00"), ("KIDR", IMPLEMENTING, None), ("UTN", IMPLEMENTING, None)),
        actual=(d(2026, 2, 1), None),
        updates=(
            DemoUpdate(
                d(2026, 7, 31),
                "officer",
                "Field trials planted",
                "Trial plots planted in Machakos and Sumba; soil sensors report daily.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2026-003",
        "Famine prevention stocks for northern Kenya",
        "Emergency food and nutrition supplies for Turkana and Marsabit during the failed rains.",
        (KIND,),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 3, 1), d(2026, 12, 31)),
        ("1500000.00", "USD"),
        ("KE",),
        ("72040", "12240"),
        (Objective.HUMANITARIAN_AID,),
        (("APDF", FUNDING, "1500000.00"), ("EAHL", IMPLEMENTING, None)),
        actual=(d(2026, 3, 10), None),
    ),
    DemoProgramme(
        "KSM-2026-004",
        "Disaster preparedness for coastal schools",
        "Evacuation plans, drills and early-warning radios for 60 coastal schools in Leyte and Samar.",
        (TECH, KIND),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 1, 15), d(2027, 6, 30)),
        ("35000000", "JPY"),
        ("PH",),
        ("74020", "11120"),
        (Objective.HUMANITARIAN_AID, Objective.DEVELOPMENT),
        (("OFCE", FUNDING, "35000000"), ("DA-RFO8", ACCOUNTABLE, None), ("PDRN", IMPLEMENTING, "2000000")),
        actual=(d(2026, 2, 2), None),
    ),
    DemoProgramme(
        "KSM-2026-005",
        "Community radio for free expression in Timor-Leste",
        "Training and equipment for five community radio stations, with an editorial-independence charter.",
        (TECH, CULT),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 2, 1), d(2027, 1, 31)),
        ("210000.00", "EUR"),
        ("TL",),
        ("15153", "22030"),
        (Objective.FREE_EXPRESSION, Objective.DEMOCRACY),
        (("AVD", FUNDING, "150000.00"), ("FHK", IMPLEMENTING, None)),
        actual=(d(2026, 3, 1), None),
        updates=(
            DemoUpdate(
                d(2026, 8, 14),
                "partner2",
                "Three stations on air",
                "Stations in Baucau, Maliana and Same broadcast daily; two await their transmitters.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2026-006",
        "Election observation support",
        "Training of domestic observers and a joint observation mission for the regional elections.",
        (TECH,),
        ActivityStatus.CANCELLED,
        (d(2026, 4, 1), d(2026, 12, 31)),
        ("120000.00", "USD"),
        ("PH",),
        ("15151",),
        (Objective.DEMOCRACY,),
        (("DKT", FUNDING, "120000.00"),),
    ),
    DemoProgramme(
        "KSM-2026-007",
        "Fisheries cold chain in Maluku",
        "Ice plants and cold storage for fishing co-operatives, with a concessional loan for the equipment.",
        (FIN, KIND),
        ActivityStatus.SUSPENDED,
        (d(2026, 1, 1), d(2028, 12, 31)),
        ("9500000000.00", "IDR"),
        ("ID",),
        ("31391", "31320"),
        (Objective.DEVELOPMENT,),
        (("APDF", FUNDING, "8000000000.00"), ("Sakura Eng.", IMPLEMENTING, None)),
        responsible="manager",
        actual=(d(2026, 2, 15), None),
        updates=(
            DemoUpdate(
                d(2026, 9, 1),
                "officer",
                "Programme suspended",
                "Suspended pending a new site survey after the harbour authority withdrew the land offer.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2026-008",
        "Japanese language and teacher exchange",
        "Teacher exchanges between Osaka and Yogyakarta secondary schools, with language scholarships.",
        (CULT, TECH),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 4, 1), d(2027, 3, 31)),
        ("18000000", "JPY"),
        ("ID",),
        ("11130", "16066"),
        (Objective.DEVELOPMENT, Objective.PEACE),
        (("OFCE", FUNDING, "18000000"), ("UTN", IMPLEMENTING, None)),
        actual=(d(2026, 4, 6), None),
    ),
    DemoProgramme(
        "KSM-2026-009",
        "Flood recovery building materials",
        "Roofing, cement and tools for 900 homes damaged by the March floods in Bima.",
        (KIND,),
        ActivityStatus.FINALISATION,
        (d(2026, 3, 20), d(2026, 12, 20)),
        ("540000.00", "USD"),
        ("ID",),
        ("73010", "72010"),
        (Objective.HUMANITARIAN_AID,),
        (("DKT", FUNDING, "540000.00"), ("YABN", IMPLEMENTING, "15000.00")),
        actual=(d(2026, 3, 25), None),
        updates=(
            DemoUpdate(
                d(2026, 6, 30),
                "partner",
                "Materials delivered to 640 homes",
                "Four of five shipments received complete; the fifth had 30 bags of cement damaged.",
            ),
            DemoUpdate(
                d(2026, 11, 10),
                "partner",
                "Rebuilding nearly finished",
                "862 homes re-roofed; the remaining households moved to new plots and will finish in December.",
            ),
        ),
    ),
    DemoProgramme(
        "KSM-2026-010",
        "Anti-discrimination legal aid clinics",
        "Legal aid for people refused services because of their faith, ethnicity or origin, in three provinces.",
        (FIN, TECH),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 5, 1), d(2028, 4, 30)),
        ("260000.00", "EUR"),
        ("ID",),
        ("15130", "15160"),
        (Objective.ANTI_DISCRIMINATION, Objective.HUMAN_RIGHTS),
        (("AVD", FUNDING, "260000.00"), ("YABN", IMPLEMENTING, None)),
        actual=(d(2026, 5, 15), None),
    ),
    DemoProgramme(
        "KSM-2026-011",
        "Tuberculosis control in Dili and Baucau",
        "Case finding, GeneXpert diagnostics and treatment support for tuberculosis.",
        (KIND, TECH, FIN),
        ActivityStatus.PIPELINE,
        (d(2027, 1, 1), d(2028, 12, 31)),
        ("700000.00", "USD"),
        ("TL",),
        ("12263",),
        (Objective.HUMANITARIAN_AID, Objective.DEVELOPMENT),
        (("APDF", FUNDING, "500000.00"), ("MS-TL", IMPLEMENTING, None), ("FHK", IMPLEMENTING, None)),
    ),
    DemoProgramme(
        "KSM-2026-012",
        "Batik and kanga: textile heritage exchange",
        "A travelling exhibition and workshops on Indonesian batik and East African kanga textiles.",
        (CULT,),
        ActivityStatus.PIPELINE,
        (d(2027, 3, 1), d(2027, 10, 31)),
        ("95000.00", "USD"),
        ("KE", "ID"),
        ("16066",),
        (Objective.PEACE,),
        (("DKT", FUNDING, "95000.00"), ("KIDR", EXTENDING, None)),
    ),
    DemoProgramme(
        "KSM-2026-013",
        "Geothermal training for engineers",
        "Short courses and internships on geothermal plant operation for Indonesian and Kenyan engineers.",
        (TECH,),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 6, 1), d(2027, 5, 31)),
        ("22000000", "JPY"),
        ("ID", "KE"),
        ("23181", "23260"),
        (Objective.DEVELOPMENT,),
        (("Sakura Eng.", FUNDING, "12000000"), ("OFCE", FUNDING, "10000000"), ("KIDR", IMPLEMENTING, None)),
        actual=(d(2026, 6, 8), None),
    ),
    DemoProgramme(
        "KSM-2026-014",
        "Safe water kits after the Leyte landslides",
        "Household water filters and jerrycans for families displaced by the landslides.",
        (KIND,),
        ActivityStatus.CLOSED,
        (d(2026, 1, 20), d(2026, 4, 30)),
        ("85000.00", "USD"),
        ("PH",),
        ("72010", "14031"),
        (Objective.HUMANITARIAN_AID,),
        (("RWI", FUNDING, "85000.00"), ("PDRN", IMPLEMENTING, None)),
        actual=(d(2026, 1, 22), d(2026, 4, 18)),
    ),
    DemoProgramme(
        "KSM-2026-015",
        "Village grants for sanitation in Sumba",
        "Matching grants that let village councils build school latrines and hand-washing stations.",
        (FIN,),
        ActivityStatus.IMPLEMENTATION,
        (d(2026, 2, 1), d(2027, 7, 31)),
        ("3200000000.00", "IDR"),
        ("ID",),
        ("14032", "15112"),
        (Objective.DEVELOPMENT,),
        (("DKT", FUNDING, "3200000000.00"), ("YABN", IMPLEMENTING, None)),
        actual=(d(2026, 2, 10), None),
        updates=(
            DemoUpdate(
                d(2026, 8, 28),
                "partner",
                "First grant round awarded",
                "Eighteen villages received grants; eleven have started building.",
            ),
        ),
    ),
)


# --- financial cooperation ---------------------------------------------------------------------------------------
# Dates count back from the day the demo is loaded, so the portfolio always has loans that are current, a few days
# late, more than 30 and more than 90 days late, and reminders due today. Repayment amounts are read from the
# schedule the approval generated, so they stay right whatever the calendar does to the due dates.


def _payment_date(loan: Loan, today: datetime.date, on: int, days: int, ago: int | None) -> datetime.date:
    """``ago`` days before today, or ``days`` after installment ``on`` fell due; never after today."""
    if ago is not None:
        paid_on = today - datetime.timedelta(days=ago)
    else:
        paid_on = loan.schedule.get(number=on).due_date + datetime.timedelta(days=days)
    return max(min(paid_on, today), loan.disbursed_on)


def _first_unpaid(loan: Loan) -> Installment:
    return next(item for item in loan.schedule.order_by("number") if not item.is_paid)


@dataclass(frozen=True)
class Pay:
    """The officer records money received: what is owed through installment ``through``, plus ``part`` of the next.

    Dated ``days`` after installment ``on`` (default: ``through``) fell due, or ``ago`` days before today.
    ``everything`` pays the whole loan off.
    """

    through: int = 0
    part: Decimal = Decimal(0)
    on: int | None = None
    days: int = 0
    ago: int | None = None
    everything: bool = False
    reference: str = ""

    def amount(self, loan: Loan) -> Decimal:
        schedule = list(loan.schedule.order_by("number"))
        if self.everything:
            return sum((item.outstanding for item in schedule), Decimal(0))
        amount = sum((item.outstanding for item in schedule if item.number <= self.through), Decimal(0))
        following = [item for item in schedule if item.number == self.through + 1]
        if self.part and following:
            amount += quantize(following[0].outstanding * self.part, loan.currency)
        return amount

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        finance_services.repayment_record(
            loan=loan,
            recorded_by=users["officer"],
            paid_on=_payment_date(loan, today, self.on or self.through or 1, self.days, self.ago),
            amount=self.amount(loan),
            currency=loan.currency,
            reference=self.reference,
        )


@dataclass(frozen=True)
class Reverse:
    """The officer reverses the latest confirmed repayment; the loan's other repayments are re-allocated."""

    reason: str

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        latest = loan.repayments.filter(status=RepaymentStatus.CONFIRMED).latest("created_at", "pk")
        finance_services.repayment_reverse(repayment=latest, reversed_by=users["officer"], reason=self.reason)


@dataclass(frozen=True)
class Notify:
    """A partner user notifies a payment of ``part`` of the oldest unpaid installment; it waits for an officer."""

    username: str
    part: Decimal
    ago: int
    reference: str

    def apply(self, loan: Loan, users: dict, today: datetime.date) -> None:
        finance_services.repayment_notify(
            loan=loan,
            notified_by=users[self.username],
            paid_on=_payment_date(loan, today, 1, 0, self.ago),
            amount=quantize(_first_unpaid(loan).outstanding * self.part, loan.currency),
            currency=loan.currency,
            reference=self.reference,
        )


@dataclass(frozen=True)
class DemoLoan:
    purpose: str  # with the programme and the borrower, the demo loan's natural key
    programme: str
    borrower: str
    principal: str
    currency: str
    annual_rate: str
    frequency: Frequency
    installments: int
    amortization: AmortizationMethod
    status: LoanStatus  # where its story ends
    disbursed_days_ago: int  # negative: the disbursement is planned for later
    grace_periods: int = 0
    lender: str | None = None
    story: tuple[Pay | Reverse | Notify, ...] = ()  # what happens after the disbursement
    reason: str = ""  # why it was rejected, cancelled or written off


MONTHLY, QUARTERLY, SEMI_ANNUAL, ANNUAL = (
    Frequency.MONTHLY,
    Frequency.QUARTERLY,
    Frequency.SEMI_ANNUAL,
    Frequency.ANNUAL,
)
ANNUITY, EQUAL_PRINCIPAL, BULLET = (
    AmortizationMethod.ANNUITY,
    AmortizationMethod.EQUAL_PRINCIPAL,
    AmortizationMethod.BULLET,
)

LOANS = (
    DemoLoan(
        "Revolving fund for household water connections: villagers repay their connection fee in monthly instalments.",
        "KSM-2025-001",
        "YABN",
        "120000.00",
        "USD",
        "3",
        MONTHLY,
        24,
        ANNUITY,
        LoanStatus.DISBURSED,
        215,
        story=(
            Pay(through=1, reference="BNI 0001-7781"),
            Pay(through=2, days=3, reference="BNI 0001-8130"),
            Pay(through=3, reference="Cheque 448812"),
            Reverse("The bank returned cheque 448812 unpaid: it was drawn on a closed account."),
            Pay(through=3, days=12, reference="BNI 0001-8745"),
            Pay(through=4, part=Decimal("0.4"), on=5, days=4, reference="BNI 0001-9022"),
            # About two months late by now (PAR30); the partner says more is on its way.
            Notify("partner", Decimal("0.6"), ago=2, reference="BNI 0002-0147"),
        ),
    ),
    DemoLoan(
        "Credit line for women-led micro and small enterprises, on-lent by the co-operative bank.",
        "KSM-2025-004",
        "MCB",
        "500000.00",
        "USD",
        "2",
        QUARTERLY,
        12,
        EQUAL_PRINCIPAL,
        LoanStatus.DISBURSED,
        370,
        grace_periods=2,
        lender="APDF",
        # The fourth installment fell due a few days ago and is not paid yet.
        story=(
            Pay(through=1, reference="SWIFT MCB-0311"),
            Pay(through=2, reference="SWIFT MCB-0612"),
            Pay(through=3, days=1, reference="SWIFT MCB-0913"),
        ),
    ),
    DemoLoan(
        "Yen refinancing of the co-operative bank's agricultural portfolio, principal repaid at maturity.",
        "KSM-2025-004",
        "MCB",
        "30000000",
        "JPY",
        "1.5",
        ANNUAL,
        5,
        BULLET,
        LoanStatus.DISBURSED,
        900,
        lender="APDF",
        # Last year's interest was never paid: well over 90 days late (PAR90).
        story=(Pay(through=1, days=2, reference="SWIFT MCB-Y001"),),
    ),
    DemoLoan(
        "Market-stall credit for vendors in Surigao del Norte.",
        "KSM-2025-004",
        "MCB",
        "150000.00",
        "USD",
        "4",
        MONTHLY,
        24,
        ANNUITY,
        LoanStatus.DISBURSED,
        420,
        # Repaid for eight months, then nothing: more than 90 days late.
        story=tuple(Pay(through=number, days=2, reference=f"SWIFT MCB-S{number:03d}") for number in range(1, 9)),
    ),
    DemoLoan(
        "Equipment credit for tais weaving and coffee-processing co-operatives in Ermera.",
        "KSM-2025-008",
        "FHK",
        "60000.00",
        "USD",
        "1",
        QUARTERLY,
        8,
        ANNUITY,
        LoanStatus.DISBURSED,
        264,
        grace_periods=1,
        # Up to date, and part of the next installment paid ahead of schedule.
        story=(
            Pay(through=1, reference="BNCTL 77-0102"),
            Pay(through=2, days=-2, reference="BNCTL 77-0388"),
            Pay(through=2, part=Decimal("0.5"), ago=20, reference="BNCTL 77-0517"),
        ),
    ),
    DemoLoan(
        "Interest-free bridge loan for the legal aid clinics' first year, until the donor's grant arrived.",
        "KSM-2026-010",
        "YABN",
        "30000.00",
        "EUR",
        "0",
        SEMI_ANNUAL,
        2,
        EQUAL_PRINCIPAL,
        LoanStatus.REPAID,
        300,
        # The second half was repaid early, once the grant came in.
        story=(Pay(through=1, reference="SEPA YABN-01"), Pay(everything=True, ago=20, reference="SEPA YABN-02")),
    ),
    DemoLoan(
        "Co-financing loan for the village councils' share of the school latrines.",
        "KSM-2026-015",
        "YABN",
        "1500000000.00",
        "IDR",
        "2",
        MONTHLY,
        12,
        ANNUITY,
        LoanStatus.DISBURSED,
        130,
        grace_periods=3,
        story=tuple(Pay(through=number, days=1, reference=f"BRI 5521-{number:02d}") for number in range(1, 5)),
    ),
    DemoLoan(
        "Sovereign concessional loan for GeneXpert diagnostics and treatment support.",
        "KSM-2026-011",
        "MS-TL",
        "400000.00",
        "USD",
        "0.75",
        SEMI_ANNUAL,
        20,
        ANNUITY,
        LoanStatus.SUBMITTED,
        -60,
        grace_periods=4,
        lender="APDF",
    ),
    DemoLoan(
        "Battery storage for the island mini-grids, repaid from electricity tariffs.",
        "KSM-2026-001",
        "YABN",
        "250000.00",
        "EUR",
        "1.25",
        ANNUAL,
        8,
        ANNUITY,
        LoanStatus.APPROVED,
        -21,
        lender="APDF",
    ),
    DemoLoan(
        "Second credit line for agricultural co-operatives (terms under discussion).",
        "KSM-2025-004",
        "MCB",
        "750000.00",
        "USD",
        "2.5",
        MONTHLY,
        36,
        BULLET,
        LoanStatus.DRAFT,
        -45,
        lender="APDF",
    ),
    DemoLoan(
        "Working capital for installing the ice plants in Ambon and Tual.",
        "KSM-2026-007",
        "Sakura Eng.",
        "2400000000.00",
        "IDR",
        "3",
        QUARTERLY,
        16,
        ANNUITY,
        LoanStatus.REJECTED,
        -30,
        reason="The programme is suspended pending a new site survey; resubmit once the harbour site is confirmed.",
    ),
    DemoLoan(
        "Bridge loan for GeneXpert cartridges before the programme starts.",
        "KSM-2026-011",
        "FHK",
        "25000.00",
        "USD",
        "0",
        MONTHLY,
        6,
        EQUAL_PRINCIPAL,
        LoanStatus.CANCELLED,
        -14,
        reason="The Ministry of Health bought the cartridges from its own budget; the loan is no longer needed.",
    ),
    DemoLoan(
        "Recovery credit for fish vendors in Siargao after the typhoon.",
        "KSM-2025-004",
        "MCB",
        "80000.00",
        "USD",
        "2.5",
        MONTHLY,
        18,
        EQUAL_PRINCIPAL,
        LoanStatus.WRITTEN_OFF,
        540,
        story=tuple(Pay(through=number, days=5, reference=f"SWIFT MCB-T{number:03d}") for number in range(1, 5)),
        reason="A second typhoon destroyed the vendors' stalls; restructuring failed and recovery was abandoned.",
    ),
)


@dataclass(frozen=True)
class DemoGrant:
    purpose: str  # with the programme and the recipient, the demo grant's natural key
    programme: str
    recipient: str
    amount: str
    currency: str
    first_tranche_days_ago: int
    months_between: int
    tranches: tuple[TrancheStatus, ...]  # where each tranche's story ends
    kind: Grant.Kind = Grant.Kind.GRANT


DISBURSED_STATUSES = {LoanStatus.DISBURSED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF}

PAID, APPROVED, SCHEDULED, CANCELLED = (
    TrancheStatus.PAID,
    TrancheStatus.APPROVED,
    TrancheStatus.SCHEDULED,
    TrancheStatus.CANCELLED,
)

GRANTS = (
    DemoGrant(
        "Matching grants for school latrines and hand-washing stations in eighteen villages.",
        "KSM-2026-015",
        "YABN",
        "1800000000.00",
        "IDR",
        240,
        3,
        (PAID, PAID, APPROVED, SCHEDULED),
    ),
    DemoGrant(
        "Reservoirs and distribution pipes for the Kupang villages.",
        "KSM-2025-001",
        "YABN",
        "250000.00",
        "USD",
        330,
        6,
        (PAID, PAID, SCHEDULED),
    ),
    DemoGrant(
        "Running costs of the legal aid clinics.",
        "KSM-2026-010",
        "YABN",
        "60000.00",
        "EUR",
        180,
        6,
        (PAID, CANCELLED),
    ),
    DemoGrant(
        "Start-up grants for new weaving co-operatives.",
        "KSM-2025-008",
        "FHK",
        "45000.00",
        "USD",
        200,
        4,
        (PAID, APPROVED, SCHEDULED),
    ),
    DemoGrant(
        "Transfer of the Fund's co-financing share to the women's credit line.",
        "KSM-2025-004",
        "MCB",
        "100000.00",
        "USD",
        60,
        1,
        (PAID, APPROVED),
        kind=Grant.Kind.REMITTANCE,
    ),
)


class Command(BaseCommand):
    help = "Load demonstration users, partners and programmes (safe to run more than once)."

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("load_demo creates accounts with a published password; it refuses production mode.")
        with transaction.atomic():
            users = self._users()
            organisations = self._organisations(users["officer"])
            self._memberships(users, organisations)
            self._programmes(users, organisations)
            today = timezone.localdate()
            self._loans(users, organisations, today)
            self._grants(users, organisations, today)
            shipments = load_demo_shipments(users, organisations, today, log=self.stdout.write)
            scholarships = load_demo_scholarships(users, organisations, today, log=self.stdout.write)
        # The same service as the daily job: portal notifications and emails for what is due today.
        # Safe to repeat: each reminder is logged once per installment and kind.
        reminders = send_due_reminders(today=today)
        self._print_logins(users)
        self._print_finance(len(reminders))
        self.stdout.write(f"\n{shipments}")
        self.stdout.write(f"\n{scholarships}")

    # --- users -------------------------------------------------------------------------------------------
    def _users(self) -> dict:
        user_model = get_user_model()
        users = {}
        for demo in USERS:
            user = user_model.objects.filter(username=demo.username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username=demo.username,
                    email=f"{demo.username}@kerjasama.example",
                    password=DEMO_PASSWORD,
                    first_name=demo.first_name,
                    last_name=demo.last_name,
                    is_staff=demo.role is not Role.PARTNER,
                    is_superuser=demo.role is Role.ADMINISTRATOR,
                )
                self.stdout.write(f"  user {demo.username} created")
            # The demo role joins any the user holds. No person acts here: the history records the system.
            held = set(user.groups.values_list("name", flat=True))
            user_set_roles(user=user, roles=held | {demo.role}, changed_by=None)
            users[demo.username] = user
        return users

    # --- partners ----------------------------------------------------------------------------------------
    def _organisations(self, officer) -> dict[str, Organisation]:
        by_acronym = {}
        for demo in ORGANISATIONS:
            organisation = Organisation.objects.filter(name=demo.name).first()
            if organisation is None:
                organisation = partner_services.organisation_create(
                    created_by=officer,
                    name=demo.name,
                    acronym=demo.acronym,
                    kind=demo.kind,
                    country=Country.objects.get(code=demo.country),
                    iati_identifier=demo.iati_identifier,
                    website=demo.website,
                    address=demo.address,
                )
                self.stdout.write(f"  partner {organisation} created")
            for contact in demo.contacts:
                if not Contact.objects.filter(organisation=organisation, email=contact.email).exists():
                    partner_services.contact_create(
                        organisation=organisation,
                        created_by=officer,
                        name=contact.name,
                        email=contact.email,
                        phone=contact.phone,
                        position=contact.position,
                        receives_reminders=contact.receives_reminders,
                        preferred_language=contact.preferred_language,
                    )
            by_acronym[demo.acronym] = organisation
            by_acronym[demo.name] = organisation
        return by_acronym

    def _memberships(self, users, organisations) -> None:
        for demo in USERS:
            if not demo.organisation:
                continue
            user, organisation = users[demo.username], organisations[demo.organisation]
            if not Membership.objects.filter(user=user, organisation=organisation).exists():
                partner_services.membership_create(user=user, organisation=organisation, created_by=users["admin"])

    # --- programmes --------------------------------------------------------------------------------------
    def _programmes(self, users, organisations) -> None:
        officer = users["officer"]
        for demo in PROGRAMMES:
            programme = Programme.objects.filter(code=demo.code).first()
            if programme is None:
                programme = self._create_programme(demo, officer, users, organisations)
                self.stdout.write(f"  programme {programme.code} created")
            for update in demo.updates:
                if not ProgrammeUpdate.objects.filter(programme=programme, title=update.title).exists():
                    programme_services.programme_update_post(
                        programme=programme,
                        author=users[update.author],
                        reported_on=update.reported_on,
                        title=update.title,
                        body=update.body,
                    )

    def _create_programme(self, demo: DemoProgramme, officer, users, organisations) -> Programme:
        currency = Currency.objects.get(code=demo.budget[1])
        return programme_services.programme_create(
            created_by=officer,
            code=demo.code,
            title=demo.title,
            description=demo.description,
            forms=list(demo.forms),
            status=demo.status,
            planned_start=demo.planned[0],
            planned_end=demo.planned[1],
            actual_start=demo.actual[0],
            actual_end=demo.actual[1],
            budget_amount=Decimal(demo.budget[0]),
            budget_currency=currency,
            responsible_officer=users[demo.responsible],
            recipient_countries=[Country.objects.get(code=code) for code in demo.countries],
            sectors=[Sector.objects.get(code=code) for code in demo.sectors],
            objectives=list(demo.objectives),
            participants=[
                programme_services.ParticipantInput(
                    organisations[acronym], role, Decimal(committed) if committed is not None else None
                )
                for acronym, role, committed in demo.participants
            ],
        )

    # --- loans and grants ---------------------------------------------------------------------------------------
    def _loans(self, users, organisations, today: datetime.date) -> None:
        for demo in LOANS:
            programme = Programme.objects.get(code=demo.programme)
            borrower = organisations[demo.borrower]
            if Loan.objects.filter(programme=programme, borrower=borrower, purpose=demo.purpose).exists():
                continue
            loan = self._create_loan(demo, programme, borrower, users, organisations, today)
            self.stdout.write(f"  loan {loan.reference} created ({loan.get_status_display()})")

    def _create_loan(self, demo: DemoLoan, programme, borrower, users, organisations, today) -> Loan:
        """Take a loan through its life with the same services and roles as the pages: the officer drafts,
        submits, disburses and records; the manager approves, rejects and writes off (maker–checker)."""
        officer, manager = users["officer"], users["manager"]
        disbursement = today - datetime.timedelta(days=demo.disbursed_days_ago)
        loan = finance_services.loan_create(
            created_by=officer,
            programme=programme,
            borrower=borrower,
            lender=organisations[demo.lender] if demo.lender else None,
            principal=Decimal(demo.principal),
            currency=Currency.objects.get(code=demo.currency),
            annual_rate=Decimal(demo.annual_rate),
            frequency=demo.frequency,
            installments=demo.installments,
            amortization=demo.amortization,
            grace_periods=demo.grace_periods,
            disbursement_date=disbursement,
            first_repayment_date=add_months(disbursement, 12 // demo.frequency),
            purpose=demo.purpose,
        )
        if demo.status != LoanStatus.DRAFT:
            finance_services.loan_submit(loan=loan, submitted_by=officer)
        if demo.status == LoanStatus.REJECTED:
            finance_services.loan_reject(loan=loan, rejected_by=manager, reason=demo.reason)
        if demo.status in {LoanStatus.APPROVED, LoanStatus.CANCELLED, *DISBURSED_STATUSES}:
            finance_services.loan_approve(loan=loan, approved_by=manager)
        if demo.status == LoanStatus.CANCELLED:
            finance_services.loan_cancel(loan=loan, cancelled_by=officer, reason=demo.reason)
        if demo.status in DISBURSED_STATUSES:
            finance_services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=disbursement)
            for step in demo.story:
                step.apply(loan, users, today)
            loan.refresh_from_db()
        if demo.status == LoanStatus.WRITTEN_OFF:
            finance_services.loan_write_off(loan=loan, written_off_by=manager, reason=demo.reason)
        if loan.status != demo.status:
            raise CommandError(f"Demo loan {demo.purpose!r} ended {loan.status}, not {demo.status}.")
        return loan

    def _grants(self, users, organisations, today: datetime.date) -> None:
        officer, manager = users["officer"], users["manager"]
        for demo in GRANTS:
            programme = Programme.objects.get(code=demo.programme)
            recipient = organisations[demo.recipient]
            if Grant.objects.filter(programme=programme, recipient=recipient, purpose=demo.purpose).exists():
                continue
            grant = finance_services.grant_create(
                created_by=officer,
                programme=programme,
                recipient=recipient,
                kind=demo.kind,
                amount=Decimal(demo.amount),
                currency=Currency.objects.get(code=demo.currency),
                purpose=demo.purpose,
                tranche_count=len(demo.tranches),
                first_tranche_on=today - datetime.timedelta(days=demo.first_tranche_days_ago),
                months_between=demo.months_between,
            )
            for tranche, status in zip(grant.tranches.order_by("number"), demo.tranches, strict=True):
                if status in {APPROVED, PAID}:
                    finance_services.tranche_approve(tranche=tranche, approved_by=manager)
                if status == PAID:
                    finance_services.tranche_pay(
                        tranche=tranche,
                        paid_by=officer,
                        paid_on=min(tranche.planned_on, today),
                        payment_reference=f"{grant.reference}/{tranche.number}",
                    )
                if status == CANCELLED:
                    finance_services.tranche_cancel(tranche=tranche, cancelled_by=officer)
            self.stdout.write(f"  {grant.get_kind_display().lower()} {grant.reference} created")

    def _print_finance(self, reminders_sent: int) -> None:
        by_status = dict(Loan.objects.order_by().values_list("status").annotate(count=Count("pk")))
        loans = ", ".join(f"{by_status[status]} {status.label.lower()}" for status in LoanStatus if status in by_status)
        tranches = Tranche.objects.count()
        self.stdout.write(
            f"\nFinance: {sum(by_status.values())} loans ({loans or 'none'}); "
            f"{Grant.objects.count()} grants and remittances in {tranches} tranches; "
            f"{reminders_sent} reminder(s) sent today."
        )

    def _print_logins(self, users) -> None:
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {DEMO_PASSWORD})"))
        for demo in USERS:
            where = f" — {demo.organisation}" if demo.organisation else ""
            self.stdout.write(f"  {demo.username:<10} {demo.role.value}{where}")
        if settings.KERJASAMA_2FA_ENFORCED:
            self.stdout.write("  Two-factor login is enforced: admin and manager enrol an authenticator app first.")
        else:
            self.stdout.write("  Two-factor login is not enforced here (KERJASAMA_2FA_ENFORCED=1 to require it).")
