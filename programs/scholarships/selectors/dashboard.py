"""The manager's dashboard: applications, awards, stipends and participants in figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils.translation import gettext as _

from cooperation.date_spans import DateSpan
from cooperation.money import quantize
from cooperation.reference.models import Currency
from cooperation.roles import Perm
from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    ActivityKind,
    Application,
    ApplicationStatus,
    Call,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.selectors._common import count_of, may
from programs.scholarships.selectors.activities import activity_list
from programs.scholarships.selectors.applications import visible_applications, visible_calls
from programs.scholarships.selectors.stipends import scholar_scope
from programs.selectors import CountRow, percent_of, today_or

# --- the manager dashboard ----------------------------------------------------------------------------------------

CALLS_SHOWN = 10
TOP_NATIONALITIES = 10
AS = ApplicationStatus
# The statuses an application reaches once it passed each step; a scholar who withdrew or was terminated after
# the award passed them all, and one who withdrew before is found in the history (see ``_reached``).
PAST_ELIGIBILITY = frozenset(
    {AS.ELIGIBLE, AS.SHORTLISTED, AS.AWARDED, AS.ACCEPTED, AS.DECLINED, AS.ENROLLED, AS.COMPLETED}
)
PAST_SHORTLIST = PAST_ELIGIBILITY - {AS.ELIGIBLE}
SCHOLAR_STATUSES = (AS.AWARDED, AS.ACCEPTED, AS.DECLINED, AS.ENROLLED, AS.COMPLETED, AS.WITHDRAWN, AS.TERMINATED)


@dataclass(frozen=True)
class CallFigures:
    """One call's funnel: each number counts the applications that reached that step, wherever they are now."""

    pk: int
    title: str
    applications: int
    eligible: int
    shortlisted: int
    awards_made: int
    awards_available: int


@dataclass(frozen=True)
class StipendProgress:
    """One currency's tranches: scheduled (every tranche not cancelled), due by the day, and paid."""

    currency: Currency
    scheduled_amount: Decimal
    scheduled_count: int
    due_amount: Decimal
    due_count: int
    paid_amount: Decimal
    paid_count: int

    @property
    def paid_percent(self) -> Decimal:
        """Paid ÷ scheduled, by amount."""
        return percent_of(self.paid_amount, self.scheduled_amount)


@dataclass(frozen=True)
class KindParticipants:
    kind: str
    label: str
    activities: int
    women: int
    men: int
    other_gender: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.other_gender


@dataclass(frozen=True)
class ScholarshipDashboard:
    calls: list[CallFigures]  # the most recent CALLS_SHOWN calls
    call_count: int
    application_count: int
    awards_made: int
    scholars_by_status: list[CountRow]
    scholars_by_gender: list[CountRow]
    scholars_by_nationality: list[CountRow]
    stipends: list[StipendProgress]
    participants_by_kind: list[KindParticipants]

    @property
    def scholar_count(self) -> int:
        return sum(row.count for row in self.scholars_by_status)

    def _scholars(self, status: ApplicationStatus) -> int:
        return next(row.count for row in self.scholars_by_status if row.key == status.value)

    @property
    def completed_count(self) -> int:
        return self._scholars(AS.COMPLETED)

    @property
    def finished_count(self) -> int:
        """Scholars whose scholarship ended after the award: completed, terminated or withdrawn."""
        return sum(self._scholars(status) for status in (AS.COMPLETED, AS.TERMINATED, AS.WITHDRAWN))

    @property
    def completion_rate(self) -> Decimal:
        """Completed ÷ (completed + terminated + withdrawn after the award), in percent.

        Scholars still on their way (awarded, accepted, enrolled) have not finished yet, and a declined award
        never started, so neither counts. Zero while nobody has finished.
        """
        return percent_of(self.completed_count, self.finished_count)

    @property
    def participants_by_gender(self) -> dict[str, int]:
        return {
            field: sum(getattr(row, field) for row in self.participants_by_kind)
            for field in ("women", "men", "other_gender")
        }

    @property
    def participants_total(self) -> int:
        return sum(row.total for row in self.participants_by_kind)


def _reached(statuses: frozenset) -> Q:
    """The application is in one of ``statuses``, was awarded, or passed through one of them before leaving."""
    passed = Application.history.model.objects.filter(id=OuterRef("pk"), status__in=statuses)
    return Q(status__in=statuses) | Q(awarded_at__isnull=False) | Q(Exists(passed))


def _call_figures(calls: QuerySet[Call]) -> list[CallFigures]:
    rows = (
        calls.order_by("-opens_on", "title", "pk")
        .annotate(
            n_applications=count_of(Application, "call"),
            n_eligible=count_of(Application, "call", _reached(PAST_ELIGIBILITY)),
            n_shortlisted=count_of(Application, "call", _reached(PAST_SHORTLIST)),
            n_held=count_of(Application, "call", Q(status__in=HOLDS_AN_AWARD)),
        )
        .values("pk", "title", "awards_available", "n_applications", "n_eligible", "n_shortlisted", "n_held")[
            :CALLS_SHOWN
        ]
    )
    return [
        CallFigures(
            pk=row["pk"],
            title=row["title"],
            applications=row["n_applications"],
            eligible=row["n_eligible"],
            shortlisted=row["n_shortlisted"],
            awards_made=row["n_held"],
            awards_available=row["awards_available"],
        )
        for row in rows
    ]


def _nationalities(scholars: QuerySet[Application]) -> list[CountRow]:
    """Scholars per nationality, the largest first, the ``TOP_NATIONALITIES`` largest then one row for the rest."""
    # One row per nationality at most (a bounded reference list), whatever the number of scholars.
    per_country = list(
        scholars.values("nationality_id", "nationality__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "nationality__name")
    )
    rows = [CountRow(row["nationality_id"], row["nationality__name"], row["count"]) for row in per_country]
    if len(rows) <= TOP_NATIONALITIES:
        return rows
    others = sum(row.count for row in rows[TOP_NATIONALITIES:])
    return [*rows[:TOP_NATIONALITIES], CountRow("other", _("Other nationalities"), others)]


@dataclass(frozen=True)
class Narrowing:
    """What the dashboard narrows to: the programmes whose ids ``programmes`` selects, the stipends' currency (a
    code) and a period; each None for all."""

    programmes: QuerySet | None = None
    currency: str | None = None
    period: DateSpan | None = None

    def calls(self, calls: QuerySet[Call], path: str = "") -> QuerySet:
        """``calls`` (or the records reached from a call through ``path``) of those programmes paying stipends
        in that currency."""
        if self.programmes is not None:
            calls = calls.filter(**{f"{path}programme_id__in": self.programmes})
        if self.currency is not None:
            calls = calls.filter(**{f"{path}stipend_currency_id": self.currency})
        return calls


def _stipends(user, today: datetime.date, narrowing: Narrowing) -> list[StipendProgress]:
    if not may(user, Perm.VIEW_STIPEND):
        return []
    tranches = StipendTranche.objects.exclude(status=TrancheStatus.CANCELLED)
    scope = scholar_scope(user, "application")
    if scope is not None:
        tranches = tranches.filter(scope)
    if narrowing.programmes is not None:
        tranches = tranches.filter(application__call__programme_id__in=narrowing.programmes)
    if narrowing.currency is not None:
        tranches = tranches.filter(currency_id=narrowing.currency)
    if narrowing.period is not None:
        tranches = tranches.filter(narrowing.period.within("due_on"))
    due = Q(due_on__lte=today)
    paid = Q(status=TrancheStatus.PAID)
    rows = (
        tranches.order_by()
        .values("currency_id", "currency__name", "currency__minor_unit")
        .annotate(
            scheduled_amount=Sum("amount"),
            scheduled_count=Count("pk"),
            due_amount=Sum("amount", filter=due),
            due_count=Count("pk", filter=due),
            paid_amount=Sum("amount", filter=paid),
            paid_count=Count("pk", filter=paid),
        )
        .order_by("currency_id")
    )
    progress = []
    for row in rows:
        currency = Currency(code=row["currency_id"], name=row["currency__name"], minor_unit=row["currency__minor_unit"])
        progress.append(
            StipendProgress(
                currency=currency,
                scheduled_amount=quantize(Decimal(row["scheduled_amount"] or 0), currency),
                scheduled_count=row["scheduled_count"],
                due_amount=quantize(Decimal(row["due_amount"] or 0), currency),
                due_count=row["due_count"],
                paid_amount=quantize(Decimal(row["paid_amount"] or 0), currency),
                paid_count=row["paid_count"],
            )
        )
    return progress


def _participants(user, narrowing: Narrowing) -> list[KindParticipants]:
    """Every activity kind, in the list's order, with the participants its activities reached (a cancelled
    activity reached nobody). Activities move no money: the currency does not narrow them."""
    activities = ExchangeActivity.objects.filter(pk__in=activity_list(user=user).values("pk")).exclude(
        status=ExchangeStatus.CANCELLED
    )
    if narrowing.programmes is not None:
        activities = activities.filter(programme_id__in=narrowing.programmes)
    if narrowing.period is not None:
        activities = activities.filter(narrowing.period.overlaps("starts_on", "ends_on"))
    rows = {
        row["kind"]: row
        for row in activities.order_by()
        .values("kind")
        .annotate(activities=Count("pk"), sum_women=Sum("women"), sum_men=Sum("men"), sum_other=Sum("other_gender"))
    }
    empty = {"activities": 0, "sum_women": 0, "sum_men": 0, "sum_other": 0}
    return [
        KindParticipants(
            kind=kind.value,
            label=kind.label,
            activities=rows.get(kind.value, empty)["activities"],
            women=rows.get(kind.value, empty)["sum_women"] or 0,
            men=rows.get(kind.value, empty)["sum_men"] or 0,
            other_gender=rows.get(kind.value, empty)["sum_other"] or 0,
        )
        for kind in ActivityKind
    ]


def scholarship_dashboard(
    *,
    user,
    today: datetime.date | None = None,
    programmes: QuerySet | None = None,
    currency: str | None = None,
    period: DateSpan | None = None,
) -> ScholarshipDashboard:
    """The managers' numbers on scholarships and exchange activities, aggregated in SQL: six queries whatever
    the number of calls, applications, tranches and activities. Aggregates only: no applicant is named.

    Scholars are the applications awarded at some point, whatever happened after. Stipends stay per currency.
    ``programmes`` (a query of programme ids), ``currency`` (the calls' stipend currency) and ``period`` narrow
    the figures: calls open for a day of the period, applications submitted, tranches due and activities held
    within it.
    """
    today = today_or(today)
    narrowing = Narrowing(programmes, currency, period)
    calls = narrowing.calls(visible_calls(user))
    applications = narrowing.calls(visible_applications(user), "call__").order_by()
    if period is not None:
        calls = calls.filter(period.overlaps("opens_on", "closes_on"))
        applications = applications.filter(period.within("submitted_on"))
    scholar = Q(awarded_at__isnull=False)
    counts = applications.aggregate(
        applications=Count("pk"),
        awards_made=Count("pk", filter=Q(status__in=HOLDS_AN_AWARD)),
        **{f"status_{status.value}": Count("pk", filter=scholar & Q(status=status)) for status in SCHOLAR_STATUSES},
        **{f"gender_{gender.value}": Count("pk", filter=scholar & Q(gender=gender)) for gender in Gender},
    )
    return ScholarshipDashboard(
        calls=_call_figures(calls),
        call_count=calls.count(),
        application_count=counts["applications"],
        awards_made=counts["awards_made"],
        scholars_by_status=[
            CountRow(status.value, status.label, counts[f"status_{status.value}"]) for status in SCHOLAR_STATUSES
        ],
        scholars_by_gender=[
            CountRow(gender.value, gender.label, counts[f"gender_{gender.value}"]) for gender in Gender
        ],
        scholars_by_nationality=_nationalities(applications.filter(scholar)),
        stipends=_stipends(user, today, narrowing),
        participants_by_kind=_participants(user, narrowing),
    )
