"""Demonstration exchange activities of every kind."""

import datetime
from dataclasses import dataclass

from cooperation.reference.models import Country
from partners.selectors import user_organisation_ids
from programs.models import Programme
from programs.scholarships import services
from programs.scholarships.demo.calls import F, M, days_ago
from programs.scholarships.models import (
    ActivityKind,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
)


@dataclass(frozen=True)
class DemoActivity:
    title: str  # the demo activity's natural key
    programme: str
    kind: ActivityKind
    host: str
    partners: tuple[str, ...]
    place: tuple[str, str]  # country code, city
    starts_days_ago: int  # negative: still to come
    days: int
    status: ExchangeStatus
    description: str
    counts: tuple[int, int, int] | None = None  # women, men, other or not stated, once reported
    outcomes: str = ""
    participants: tuple[tuple[str, Gender, str, str], ...] = ()  # name, gender, organisation, country


ACTIVITIES = (
    DemoActivity(
        "Paralegal training for village legal aid posts",
        "KSM-2026-010",
        ActivityKind.TRAINING,
        "YABN",
        ("AVD",),
        ("ID", "Kupang"),
        70,
        5,
        ExchangeStatus.COMPLETED,
        "Five days on discrimination law, interviewing clients and referring cases to the clinics.",
        (14, 9, 1),
        "Twenty-four paralegals certified; eleven villages now have a legal aid post.",
        (
            ("Maria Goreti Bria", F, "Desa Oelnasi", "ID"),
            ("Yakobus Nenabu", M, "Desa Baumata", "ID"),
            ("Ester Lakapu", F, "Desa Penfui", "ID"),
            ("Simon Tefa", M, "Desa Oesao", "ID"),
        ),
    ),
    DemoActivity(
        "Solar mini-grid internships",
        "KSM-2026-001",
        ActivityKind.INTERNSHIP,
        "Sakura Eng.",
        ("YABN",),
        ("ID", "Waingapu"),
        -40,
        90,
        ExchangeStatus.PLANNED,
        "Three months on the first mini-grid site with Sakura Engineering's installation team.",
    ),
    DemoActivity(
        "Drought-tolerant sorghum field trials",
        "KSM-2026-002",
        ActivityKind.JOINT_RESEARCH,
        "KIDR",
        ("UTN",),
        ("KE", "Machakos"),
        180,
        365,
        ExchangeStatus.ONGOING,
        "Kenyan and Indonesian researchers run paired trial plots in Machakos and Sumba.",
        (4, 5, 0),
        "First season harvested; yields under drought 40% above the local variety.",
        (
            ("Grace Wanjiru", F, "Kenya Institute for Dryland Research", "KE"),
            ("Samuel Kiprono", M, "Kenya Institute for Dryland Research", "KE"),
            ("Mercy Achieng", F, "Kenya Institute for Dryland Research", "KE"),
            ("Joseph Mwangi", M, "Kenya Institute for Dryland Research", "KE"),
            ("Wahyu Nugroho", M, "Universitas Teknologi Nusantara", "ID"),
            ("Ratih Kusumawati", F, "Universitas Teknologi Nusantara", "ID"),
            ("Bambang Setiawan", M, "Universitas Teknologi Nusantara", "ID"),
            ("Indah Permatasari", F, "Universitas Teknologi Nusantara", "ID"),
            ("Yosef Umbu Lede", M, "Universitas Teknologi Nusantara", "ID"),
        ),
    ),
    DemoActivity(
        "Gamelan and tais artists' residency",
        "KSM-2025-006",
        ActivityKind.CULTURAL_EXCHANGE,
        "FHK",
        ("DKT",),
        ("ID", "Yogyakarta"),
        330,
        28,
        ExchangeStatus.COMPLETED,
        "Timorese weavers and Javanese gamelan musicians live and work together for four weeks.",
        (7, 5, 0),
        "A joint piece performed at the Kraton; tais patterns now inspire a new batik line.",
        (
            ("Rosa Maria Tilman", F, "Cooperativa Tais Lautem", "TL"),
            ("Filomena da Cruz", F, "Cooperativa Tais Lautem", "TL"),
            ("Agostinho Freitas", M, "Cooperativa Tais Lautem", "TL"),
            ("Sri Handayani", F, "Sanggar Gamelan Wiji", "ID"),
            ("Ki Suparno", M, "Sanggar Gamelan Wiji", "ID"),
            ("Dwi Astuti", F, "Sanggar Gamelan Wiji", "ID"),
        ),
    ),
    DemoActivity(
        "Threads and bronze: closing exhibition in Dili",
        "KSM-2025-006",
        ActivityKind.CULTURAL_EVENT,
        "FHK",
        (),
        ("TL", "Dili"),
        300,
        3,
        ExchangeStatus.COMPLETED,
        "Three days of exhibition, performances and a tais market at the Palácio do Governo gardens.",
        (38, 26, 2),
        "About 1,200 visitors; the weavers' cooperative sold 140 tais.",
    ),
    DemoActivity(
        "Japanese culture day in Yogyakarta",
        "KSM-2026-008",
        ActivityKind.CULTURAL_EVENT,
        "UTN",
        ("OFCE",),
        ("ID", "Yogyakarta"),
        -25,
        1,
        ExchangeStatus.PLANNED,
        "Calligraphy, tea ceremony and a speech contest for the exchange schools' pupils.",
    ),
    DemoActivity(
        "Community radio production workshop",
        "KSM-2026-005",
        ActivityKind.TRAINING,
        "FHK",
        ("AVD",),
        ("TL", "Baucau"),
        3,
        10,
        ExchangeStatus.ONGOING,
        "Ten days of hands-on production for the five community stations' volunteers.",
    ),
    DemoActivity(
        "Geothermal plant operation internships",
        "KSM-2026-013",
        ActivityKind.INTERNSHIP,
        "KIDR",
        ("Sakura Eng.",),
        ("KE", "Naivasha"),
        -15,
        60,
        ExchangeStatus.CANCELLED,
        "Postponed to next year: the plant's maintenance shutdown leaves no one to supervise the interns.",
    ),
)


def _reporter(activity: ExchangeActivity, users: dict):
    """The host's partner user reports their activity; the officer reports for hosts without a demo login."""
    for username in ("partner", "partner2"):
        if activity.host_id in user_organisation_ids(users[username]):
            return users[username]
    return users["officer"]


def create_activity(demo: DemoActivity, users, organisations, today: datetime.date) -> ExchangeActivity:
    starts = days_ago(today, demo.starts_days_ago)
    activity = services.activity_create(
        created_by=users["officer"],
        programme=Programme.objects.get(code=demo.programme),
        title=demo.title,
        kind=demo.kind,
        description=demo.description,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=demo.days - 1),
        country=Country.objects.get(code=demo.place[0]),
        city=demo.place[1],
        host=organisations[demo.host],
        partners=[organisations[acronym] for acronym in demo.partners],
        status=demo.status,
    )
    if demo.counts is not None:
        women, men, other = demo.counts
        countries = {country.code: country for country in Country.objects.filter(code__in=["ID", "KE", "TL"])}
        services.activity_report(
            activity=activity,
            reported_by=_reporter(activity, users),
            women=women,
            men=men,
            other_gender=other,
            outcome_notes=demo.outcomes,
            participants=[
                {"name": name, "gender": gender, "organisation": organisation, "country": countries[code]}
                for name, gender, organisation, code in demo.participants
            ]
            or None,
        )
    return activity
