"""The shape of a demonstration programme; the programmes themselves are the tables in programmes_2025.toml and
programmes_2026.toml beside this file."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from cooperation.reference.codes import ActivityStatus, OrganisationRole
from programs.demo.tables import read_records
from programs.models import CooperationForm, Objective


@dataclass(frozen=True)
class DemoUpdate:
    reported_on: datetime.date
    author: str
    title: str
    body: str


class DemoParticipant(NamedTuple):
    organisation: str  # acronym
    role: OrganisationRole
    committed: str | None = None


@dataclass(frozen=True)
class DemoProgramme:
    code: str
    title: str
    description: str
    forms: tuple[CooperationForm, ...]
    status: ActivityStatus
    planned_start: datetime.date
    planned_end: datetime.date
    budget: tuple[str, str]  # amount, currency code
    countries: tuple[str, ...]
    sectors: tuple[str, ...]
    objectives: tuple[Objective, ...]
    participants: tuple[DemoParticipant, ...]
    responsible: str = "officer"
    actual_start: datetime.date | None = None
    actual_end: datetime.date | None = None
    updates: tuple[DemoUpdate, ...] = field(default=())
    title_indonesian: str = ""
    description_indonesian: str = ""
    country_percentages: dict[str, str] = field(default_factory=dict)  # country code → percent, as text
    sector_percentages: dict[str, str] = field(default_factory=dict)  # sector code → percent, as text
    publish_to_iati: bool = False


def _read(filename: str) -> tuple[DemoProgramme, ...]:
    return read_records(Path(__file__).with_name(filename), "programme", DemoProgramme)


PROGRAMMES = _read("programmes_2025.toml") + _read("programmes_2026.toml")
