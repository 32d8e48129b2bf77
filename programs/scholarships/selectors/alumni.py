"""Alumni outcomes as each user may see them (a partner user: their own institution's alumni), and the return and
employment rates, aggregated in SQL."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperation.roles import Perm
from programs.scholarships.alumni import milestone_due
from programs.scholarships.models import IN_WORK, AlumniInvitation, AlumniOutcome, Gender, Milestone
from programs.scholarships.selectors._common import may
from programs.scholarships.selectors.stipends import scholar_scope
from programs.selectors import percent_of

OUTCOME_RELATIONS = ("application__call", "application__nationality", "sector", "recorded_by", "locked_by")


def outcome_list(*, user) -> QuerySet[AlumniOutcome]:
    if not may(user, Perm.VIEW_ALUMNI_OUTCOME):
        return AlumniOutcome.objects.none()
    outcomes = AlumniOutcome.objects.select_related(*OUTCOME_RELATIONS)
    scope = scholar_scope(user, "application")
    if scope is not None:
        outcomes = outcomes.filter(scope)
    return outcomes.order_by("-recorded_at", "-pk")


def outcome_get(*, user, pk) -> AlumniOutcome:
    return get_object_or_404(outcome_list(user=user), pk=pk)


def scholar_outcomes(*, user, application) -> dict[int, AlumniOutcome]:
    """The scholar's outcomes by milestone, as ``user`` sees them."""
    return {outcome.milestone: outcome for outcome in outcome_list(user=user).filter(application=application)}


@dataclass(frozen=True)
class FollowUp:
    """One milestone of a scholar who completed: when it falls due, the invitation sent (if any) and the outcome
    recorded (if any)."""

    milestone: int
    label: str
    due_on: datetime.date
    invitation: AlumniInvitation | None
    outcome: AlumniOutcome | None
    link_expired: bool = False


def alumni_follow_up(*, user, application) -> list[FollowUp] | None:
    """The scholar's three milestones for the application page; None for a scholar who did not complete or a user
    who may not see outcomes. Two queries."""
    if application.completed_on is None or not may(user, Perm.VIEW_ALUMNI_OUTCOME):
        return None
    invitations = {
        invitation.milestone: invitation for invitation in AlumniInvitation.objects.filter(application=application)
    }
    outcomes = scholar_outcomes(user=user, application=application)
    now = timezone.now()
    rows = []
    for milestone in Milestone:
        invitation = invitations.get(milestone.value)
        rows.append(
            FollowUp(
                milestone.value,
                milestone.label,
                milestone_due(application.completed_on, milestone.value),
                invitation,
                outcomes.get(milestone.value),
                link_expired=invitation is not None and invitation.expires_at <= now,
            )
        )
    return rows


def invitation_get(*, user, pk) -> AlumniInvitation:
    """An invitation of a scholar ``user`` may see the outcomes of; 404 otherwise."""
    if not may(user, Perm.VIEW_ALUMNI_OUTCOME):
        raise Http404
    invitations = AlumniInvitation.objects.select_related("application__call", "application__nationality")
    scope = scholar_scope(user, "application")
    if scope is not None:
        invitations = invitations.filter(scope)
    return get_object_or_404(invitations, pk=pk)


# --- rates --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneRate:
    """At one milestone: how many outcomes are recorded, how many returned home and how many are in work."""

    milestone: int
    outcomes: int
    returned: int
    in_work: int

    @property
    def return_rate(self) -> Decimal:
        return percent_of(self.returned, self.outcomes)

    @property
    def employment_rate(self) -> Decimal:
        """Employed or self-employed ÷ outcomes recorded."""
        return percent_of(self.in_work, self.outcomes)


@dataclass
class RateRow:
    key: str
    label: str
    by_milestone: dict[int, MilestoneRate] = field(default_factory=dict)

    @property
    def milestones(self) -> list[MilestoneRate]:
        return [self.by_milestone.get(m.value, MilestoneRate(m.value, 0, 0, 0)) for m in Milestone]


@dataclass(frozen=True)
class AlumniRates:
    total: list[MilestoneRate]
    by_call: list[RateRow]
    by_country: list[RateRow]
    by_gender: list[RateRow]

    @property
    def outcome_count(self) -> int:
        return sum(rate.outcomes for rate in self.total)


COUNTS = {
    "n": Count("pk"),
    "n_returned": Count("pk", filter=Q(returned_home=True)),
    "n_in_work": Count("pk", filter=Q(employment_status__in=IN_WORK)),
}


def _rate(row) -> MilestoneRate:
    return MilestoneRate(row["milestone"], row["n"], row["n_returned"], row["n_in_work"])


def _grouped(outcomes: QuerySet, key: str, label: str) -> list[RateRow]:
    """One query: the counts per (``key``, milestone), folded into one row per key."""
    rows: dict = {}
    for row in outcomes.values(key, label, "milestone").annotate(**COUNTS).order_by(label, key, "milestone"):
        entry = rows.setdefault(row[key], RateRow(str(row[key]), row[label]))
        entry.by_milestone[row["milestone"]] = _rate(row)
    return list(rows.values())


def alumni_rates(*, user, programmes: QuerySet | None = None) -> AlumniRates:
    """Return and employment rates at each milestone, overall and by call, nationality and gender: four queries
    whatever the number of outcomes. ``programmes`` (a query of programme ids) narrows to those programmes' calls."""
    outcomes = outcome_list(user=user).order_by()
    if programmes is not None:
        outcomes = outcomes.filter(application__call__programme_id__in=programmes)
    outcomes = outcomes.select_related(None)
    totals = {row["milestone"]: _rate(row) for row in outcomes.values("milestone").annotate(**COUNTS).order_by()}
    by_gender = {row.key: row for row in _grouped(outcomes, "application__gender", "application__gender")}
    return AlumniRates(
        total=[totals.get(m.value, MilestoneRate(m.value, 0, 0, 0)) for m in Milestone],
        by_call=_grouped(outcomes, "application__call_id", "application__call__title"),
        by_country=_grouped(outcomes, "application__nationality_id", "application__nationality__name"),
        by_gender=[
            RateRow(gender.value, gender.label, by_gender[gender.value].by_milestone)
            for gender in Gender
            if gender.value in by_gender
        ],
    )
