"""Demonstration calls for scholarships: upcoming, open and closed, with their rubrics."""

import datetime
from dataclasses import dataclass

from cooperation.reference.models import Country, Currency
from programs.models import Programme
from programs.scholarships import services
from programs.scholarships.models import (
    ApplicationStatus,
    Call,
    Level,
    StipendFrequency,
)

S = ApplicationStatus


def days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


@dataclass(frozen=True)
class DemoCall:
    title: str  # the demo call's natural key
    programme: str
    host: str  # acronym of a partner taking part in the programme
    level: Level
    opens_days_ago: int  # negative: still to come
    closes_days_ago: int
    awards: int
    stipend: tuple[str, str, StipendFrequency]  # amount per period, currency, frequency
    duration_months: int
    countries: tuple[str, ...]
    fields: tuple[str, ...]
    criteria: tuple[tuple[str, str], ...]  # name, weight
    description: str


WATER = "Postgraduate scholarships in water engineering, 2025 intake"
LAW = "Human rights law scholarships 2026"
RADIO_1 = "Community radio production course, first round"
RADIO_2 = "Community radio production course, second round"
SOLAR = "Solar mini-grid technicians' course"

MERIT_RUBRIC = (("Academic record", "3"), ("Motivation and plans", "2"), ("Relevance to the programme", "1"))
PRACTICE_RUBRIC = (("Experience in the field", "2"), ("Motivation", "1"))

CALLS = (
    DemoCall(
        WATER,
        "KSM-2025-005",
        "FHK",
        Level.MASTER,
        520,
        430,
        3,
        ("15000000.00", "IDR", StipendFrequency.QUARTERLY),
        24,
        ("TL", "KE"),
        ("Water engineering", "Sanitation engineering"),
        MERIT_RUBRIC,
        "Two-year master's scholarships for engineers from Timor-Leste and Kenya, with field research placed with "
        "Fundasaun Haburas Komunidade.",
    ),
    DemoCall(
        LAW,
        "KSM-2026-010",
        "YABN",
        Level.MASTER,
        80,
        20,
        3,
        ("1100.00", "EUR", StipendFrequency.MONTHLY),
        12,
        ("ID", "TL", "PH"),
        ("Human rights law", "Anti-discrimination law"),
        MERIT_RUBRIC,
        "One-year master's scholarships for lawyers who will staff the legal aid clinics, hosted by Yayasan Air "
        "Bersih Nusantara's legal aid unit.",
    ),
    DemoCall(
        RADIO_1,
        "KSM-2026-005",
        "FHK",
        Level.SHORT_COURSE,
        300,
        250,
        2,
        ("300.00", "EUR", StipendFrequency.MONTHLY),
        3,
        ("TL", "ID"),
        ("Radio journalism", "Broadcast engineering"),
        PRACTICE_RUBRIC,
        "A three-month course in community radio production and station maintenance.",
    ),
    DemoCall(
        RADIO_2,
        "KSM-2026-005",
        "FHK",
        Level.SHORT_COURSE,
        10,
        -35,
        2,
        ("300.00", "EUR", StipendFrequency.MONTHLY),
        3,
        ("TL", "ID"),
        ("Radio journalism", "Broadcast engineering"),
        PRACTICE_RUBRIC,
        "The second round of the community radio course, for the stations that went on air this year.",
    ),
    DemoCall(
        SOLAR,
        "KSM-2026-001",
        "YABN",
        Level.SHORT_COURSE,
        -20,
        -60,
        4,
        ("350.00", "USD", StipendFrequency.MONTHLY),
        4,
        ("ID", "TL"),
        ("Electrical engineering", "Renewable energy"),
        PRACTICE_RUBRIC,
        "Four months of training in installing and running solar mini-grids on the outer islands.",
    ),
)


def create_call(demo: DemoCall, users, organisations, today: datetime.date) -> Call:
    amount, currency, frequency = demo.stipend
    return services.call_create(
        created_by=users["officer"],
        programme=Programme.objects.get(code=demo.programme),
        title=demo.title,
        description=demo.description,
        host=organisations[demo.host],
        level=demo.level,
        opens_on=days_ago(today, demo.opens_days_ago),
        closes_on=days_ago(today, demo.closes_days_ago),
        awards_available=demo.awards,
        stipend_amount=amount,
        stipend_currency=Currency.objects.get(code=currency),
        stipend_frequency=frequency,
        duration_months=demo.duration_months,
        eligible_countries=list(Country.objects.filter(code__in=demo.countries)),
        fields_of_study=demo.fields,
        criteria=[{"name": name, "weight": weight} for name, weight in demo.criteria],
        responsible_officer=users["officer"],
    )
