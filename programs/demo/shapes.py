"""The shape of a demonstration programme, and the short names its tables use."""

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
