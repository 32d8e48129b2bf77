"""Demonstration calls for scholarships, from the tables in calls.toml: upcoming, open and closed, with their
rubrics."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from cooperation.reference.models import Country, Currency
from programs.demo.tables import read_records
from programs.models import Programme
from programs.scholarships import services
from programs.scholarships.models import ApplicationStatus, Call, Level, StipendFrequency

S = ApplicationStatus


def days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


class DemoCriterion(NamedTuple):
    name: str
    weight: str


@dataclass(frozen=True)
class DemoCall:
    title: str  # the demo call's natural key
    programme: str
    host: str  # acronym of a partner taking part in the programme
    level: Level
    opens_days_ago: int  # negative: still to come
    closes_days_ago: int
    awards: int
    stipend_amount: str  # per period
    stipend_currency: str
    stipend_frequency: StipendFrequency
    duration_months: int
    countries: tuple[str, ...]
    fields: tuple[str, ...]
    criteria: tuple[DemoCriterion, ...]
    description: str
    online: bool = False  # published: a public page where anyone may apply while it is open
    questions: tuple[str, ...] = ()  # eligibility questions answered yes or no online


CALLS = read_records(Path(__file__).with_name("calls.toml"), "call", DemoCall)


def create_call(demo: DemoCall, users, organisations, today: datetime.date) -> Call:
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
        stipend_amount=demo.stipend_amount,
        stipend_currency=Currency.objects.get(code=demo.stipend_currency),
        stipend_frequency=demo.stipend_frequency,
        duration_months=demo.duration_months,
        eligible_countries=list(Country.objects.filter(code__in=demo.countries)),
        fields_of_study=demo.fields,
        criteria=[criterion._asdict() for criterion in demo.criteria],
        responsible_officer=users["officer"],
        online_applications=demo.online,
        eligibility_questions=demo.questions,
    )
