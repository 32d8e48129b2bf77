"""Demonstration exchange activities of every kind, from the tables in activities.toml."""

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from cooperation.reference.models import Country
from partners.selectors import user_organisation_ids
from programs.demo.tables import read_records
from programs.models import Programme
from programs.scholarships import services
from programs.scholarships.demo.calls import days_ago
from programs.scholarships.models import ActivityKind, ExchangeActivity, ExchangeStatus, Gender


class DemoParticipant(NamedTuple):
    name: str
    gender: Gender
    organisation: str
    country: str  # code


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
    participants: tuple[DemoParticipant, ...] = ()


ACTIVITIES = read_records(Path(__file__).with_name("activities.toml"), "activity", DemoActivity)


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
