"""Demonstration applicants, from the tables in applicants.toml: listed best-ranked first within each call, with
where their story ends."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from programs.demo.tables import read_records
from programs.scholarships.models import ApplicationStatus, Gender, ReportStatus


@dataclass(frozen=True)
class DemoReview:
    reviewer: str  # username
    scores: tuple[str, ...] = ()  # one per criterion, in the rubric's order; none: not scored yet
    conflict: str = ""  # a declared conflict of interest: the reviewer is recused


@dataclass(frozen=True)
class DemoReport:
    term: str
    months: int  # the period ends this many months after enrolment
    result: str
    outcome: ReportStatus  # accepted or returned by the officer, or submitted and waiting
    remarks: str = ""
    return_reason: str = ""


@dataclass(frozen=True)
class DemoApplicant:
    call: str  # the call's title
    name: str
    email: str  # with the call, the demo application's natural key
    nationality: str
    gender: Gender
    born: datetime.date
    institution: str
    degree: str
    field: str
    motivation: str
    ends: ApplicationStatus  # where its story ends
    submitted_days_ago: int
    reviews: tuple[DemoReview, ...] = ()
    attachments: tuple[str, ...] = ("curriculum-vitae.pdf",)
    proposed: bool = False  # shortlisted with an award proposal waiting for the manager
    reason: str = ""  # why it was found ineligible, declined, withdrawn or terminated
    enrolled_days_ago: int | None = None
    reports: tuple[DemoReport, ...] = ()
    tranches_paid: int = 0
    tranches_approved: int = 0  # approved after those paid, waiting for payment
    completed_days_ago: int | None = None


APPLICANTS = read_records(Path(__file__).with_name("applicants.toml"), "applicant", DemoApplicant)
