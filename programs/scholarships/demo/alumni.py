"""The demo's alumni cohort: the 2020 water engineering intake, completed about three years ago.

At one year, the host institution recorded each alumnus's outcome in the portal. At three years (due a few weeks
ago) the daily run invited them by their private links: two answered through the link, the host recorded one,
and one link still waits. Every outcome goes through the services; a second load changes nothing (an outcome's
natural key is its scholar and milestone)."""

from dataclasses import dataclass

from cooperation.reference.models import Sector
from partners.selectors import user_organisation_ids
from programs.scholarships import services
from programs.scholarships.alumni import AlumniInvitations
from programs.scholarships.models import AlumniOutcome, Application
from programs.scholarships.models import EmploymentStatus as E

COHORT = "Postgraduate scholarships in water engineering, 2020 intake"
ALUMNUS, HOST = "alumnus", "host"


@dataclass(frozen=True)
class DemoOutcome:
    email: str
    milestone: int
    by: str  # ALUMNUS (through the private link) or HOST (in the portal)
    returned_home: bool
    employment_status: E
    sector: str = ""  # a DAC sector code
    employer: str = ""
    works_with_partners: bool = False


OUTCOMES = (
    DemoOutcome(
        "ermelinda.soares@mail.example", 1, HOST, True, E.EMPLOYED, "14030", "Ministério das Obras Públicas", True
    ),
    DemoOutcome("kennedy.otieno@mail.example", 1, HOST, False, E.FURTHER_STUDY, "14020", "IHE Delft"),
    DemoOutcome("aurelio.guterres@mail.example", 1, HOST, True, E.SEEKING_WORK),
    DemoOutcome("grace.wanjiru@mail.example", 1, HOST, True, E.EMPLOYED, "14021", "Nairobi City Water"),
    DemoOutcome("ermelinda.soares@mail.example", 3, ALUMNUS, True, E.EMPLOYED, "14030", "Bee Timor-Leste", True),
    DemoOutcome("aurelio.guterres@mail.example", 3, ALUMNUS, True, E.SELF_EMPLOYED, "14030", "", True),
    DemoOutcome("grace.wanjiru@mail.example", 3, HOST, True, E.EMPLOYED, "14021", "Nairobi City Water"),
    # Kennedy Otieno's three-year link was sent and is not answered yet.
)


def _answers(demo: DemoOutcome) -> dict:
    return {
        "returned_home": demo.returned_home,
        "employment_status": demo.employment_status,
        "sector": Sector.objects.get(code=demo.sector) if demo.sector else None,
        "employer": demo.employer,
        "works_with_partners": demo.works_with_partners,
    }


def _host_user(users, application):
    for username in ("partner", "partner2"):
        if application.call.host_id in user_organisation_ids(users[username]):
            return users[username]
    raise ValueError(f"No demo user works for the host of {application.call}.")


def load_alumni(*, run) -> int:
    """Record the cohort's outcomes that are missing and send the invitations owed today; how many were recorded."""
    alumni = {a.email: a for a in Application.objects.filter(call__title=COHORT).select_related("call")}
    recorded = set(
        AlumniOutcome.objects.filter(application__in=alumni.values()).values_list("application", "milestone")
    )
    created = 0
    for demo in OUTCOMES:
        application = alumni[demo.email]
        if demo.by == HOST and (application.pk, demo.milestone) not in recorded:
            services.alumni_outcome_record(
                application=application,
                milestone=demo.milestone,
                recorded_by=_host_user(run.users, application),
                **_answers(demo),
            )
            created += 1
    # The same run as the daily job: it invites each alumnus whose milestone came, with their private link.
    invitations = AlumniInvitations(run.today)
    sent = invitations.send()
    keys = {
        (s.log.application.email, s.log.milestone): invitations.keys[s.log.application_id, s.log.milestone]
        for s in sent
    }
    for demo in OUTCOMES:
        key = keys.get((demo.email, demo.milestone))
        if demo.by == ALUMNUS and key is not None:
            services.alumni_outcome_record_by_link(key=key, **_answers(demo))
            created += 1
    return created
