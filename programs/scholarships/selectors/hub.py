"""The figures this module shows on a programme's page, a partner's page and the partner portal's home, and the
progress reports a host institution owes.

Every figure is counted in SQL through the user-scoped reads (``visible_calls``, ``visible_applications``,
``tranche_list``, ``visible_activities``), so a page shows only what its reader may see and its number of queries
does not grow with the records. Money is summed per currency, never across currencies.

A progress report is *due* when its due date (``terms.report_due_dates``) is within the next
``SCHOLARSHIPS_REPORT_DUE_SOON_DAYS`` days (30 by default) and *overdue* once its due date has passed by more than
``SCHOLARSHIPS_REPORT_GRACE_DAYS`` days (0 by default) with no report in hand covering it.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum

from programs.scholarships.models import (
    HOLDS_AN_AWARD,
    Application,
    ApplicationStatus,
    CallStatus,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    ReportStatus,
    TrancheStatus,
)
from programs.scholarships.references import application_reference
from programs.scholarships.selectors.activities import visible_activities
from programs.scholarships.selectors.applications import visible_applications, visible_calls
from programs.scholarships.selectors.stipends import tranche_list
from programs.scholarships.terms import report_due_dates
from programs.selectors import today_or

DEFAULT_DUE_SOON_DAYS = 30
DEFAULT_GRACE_DAYS = 0
IN_HAND = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
S = ApplicationStatus


def due_soon_days() -> int:
    return int(getattr(settings, "SCHOLARSHIPS_REPORT_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def grace_days() -> int:
    return int(getattr(settings, "SCHOLARSHIPS_REPORT_GRACE_DAYS", DEFAULT_GRACE_DAYS))


@dataclass(frozen=True)
class CurrencyAmount:
    """An amount in its own currency; ``code`` and ``minor_unit`` are what the ``money`` filter reads."""

    code: str
    minor_unit: int
    amount: Decimal


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class OwedReport:
    scholar: Application
    due_on: datetime.date

    @property
    def reference(self) -> str:
        return application_reference(self.scholar.pk)


@dataclass
class ReportStanding:
    due: list[OwedReport] = field(default_factory=list)
    overdue: list[OwedReport] = field(default_factory=list)


@dataclass
class HubFigures:
    """What a hub panel shows: calls by status and awards, scholars by status, reports owed, stipends paid per
    currency, and exchange activities by status with their participants by gender."""

    calls: list[StatusCount]
    call_total: int
    awards_offered: int
    awards_made: int
    scholars: list[StatusCount]
    scholar_total: int
    stipends_paid: list[CurrencyAmount]
    activities: list[StatusCount]
    activity_total: int
    participants: list[StatusCount]
    participant_total: int
    reports: ReportStanding


# --- progress reports owed ----------------------------------------------------------------------------------------


def enrolled_scholars(applications: QuerySet[Application]) -> QuerySet[Application]:
    """The enrolled scholars among ``applications`` with ``latest_report_end`` (the end of the latest period a
    report in hand covers), oldest enrolment first."""
    return (
        applications.filter(status=S.ENROLLED, enrolled_on__isnull=False)
        .select_related("call")
        .annotate(latest_report_end=Max("progress_reports__period_end", filter=Q(progress_reports__status__in=IN_HAND)))
        .order_by("enrolled_on", "pk")
    )


def first_uncovered_due(scholar: Application) -> datetime.date | None:
    """The first report due date no report in hand covers, for a scholar from ``enrolled_scholars``."""
    covered = scholar.latest_report_end
    for due in report_due_dates(scholar.enrolled_on, scholar.call.duration_months):
        if covered is None or covered < due:
            return due
    return None


def report_standing(applications: QuerySet[Application], today: datetime.date | None = None) -> ReportStanding:
    """The reports ``applications``' enrolled scholars owe: due soon and overdue (see the module's docstring)."""
    today = today_or(today)
    soon, late = today + datetime.timedelta(days=due_soon_days()), today - datetime.timedelta(days=grace_days())
    standing = ReportStanding()
    for scholar in enrolled_scholars(applications):
        due = first_uncovered_due(scholar)
        if due is None:
            continue
        if due < late:
            standing.overdue.append(OwedReport(scholar, due))
        elif due <= soon:
            standing.due.append(OwedReport(scholar, due))
    return standing


# --- the figures --------------------------------------------------------------------------------------------------


def _by_status(rows: dict, choices) -> list[StatusCount]:
    return [StatusCount(value, label, rows.get(value, 0)) for value, label in choices]


def _call_figures(calls, today: datetime.date) -> tuple[list[StatusCount], int, int]:
    totals = calls.aggregate(
        upcoming=Count("pk", filter=Q(opens_on__gt=today)),
        closed=Count("pk", filter=Q(closes_on__lt=today)),
        total=Count("pk"),
        offered=Sum("awards_available"),
    )
    rows = {
        CallStatus.UPCOMING: totals["upcoming"],
        CallStatus.OPEN: totals["total"] - totals["upcoming"] - totals["closed"],
        CallStatus.CLOSED: totals["closed"],
    }
    return _by_status(rows, CallStatus.choices), totals["total"], totals["offered"] or 0


def _scholar_figures(scholars) -> list[StatusCount]:
    rows = dict(scholars.order_by().values_list("status").annotate(count=Count("pk")))
    statuses = (S.AWARDED, S.ACCEPTED, S.DECLINED, S.ENROLLED, S.COMPLETED, S.WITHDRAWN, S.TERMINATED)
    return [StatusCount(status, status.label, rows.get(status, 0)) for status in statuses]


def _stipends_paid(tranches) -> list[CurrencyAmount]:
    rows = (
        tranches.filter(status=TrancheStatus.PAID)
        .order_by()
        .values("currency__code", "currency__minor_unit")
        .annotate(total=Sum("amount"))
        .order_by("currency__code")
    )
    return [CurrencyAmount(row["currency__code"], row["currency__minor_unit"], row["total"]) for row in rows]


def _activity_figures(activities) -> tuple[list[StatusCount], list[StatusCount]]:
    rows = list(
        activities.order_by()
        .values("status")
        .annotate(count=Count("pk"), women=Sum("women"), men=Sum("men"), other=Sum("other_gender"))
    )
    by_status = _by_status({row["status"]: row["count"] for row in rows}, ExchangeStatus.choices)
    people = {
        Gender.FEMALE: sum(row["women"] or 0 for row in rows),
        Gender.MALE: sum(row["men"] or 0 for row in rows),
        Gender.OTHER: sum(row["other"] or 0 for row in rows),
    }
    return by_status, _by_status(people, Gender.choices)


def hub_figures(*, user, calls, scholars, tranches, activities, today: datetime.date | None = None) -> HubFigures:
    """The figures of ``calls``, ``scholars`` (awarded applications), ``tranches`` and ``activities``, each
    already narrowed to what ``user`` may see and to the page's programme or partner."""
    today = today_or(today)
    call_counts, call_total, offered = _call_figures(calls, today)
    scholar_counts = _scholar_figures(scholars)
    activity_counts, participants = _activity_figures(activities)
    return HubFigures(
        calls=call_counts,
        call_total=call_total,
        awards_offered=offered,
        awards_made=sum(row.count for row in scholar_counts if row.status in HOLDS_AN_AWARD),
        scholars=scholar_counts,
        scholar_total=sum(row.count for row in scholar_counts),
        stipends_paid=_stipends_paid(tranches),
        activities=activity_counts,
        activity_total=sum(row.count for row in activity_counts),
        participants=participants,
        participant_total=sum(row.count for row in participants),
        reports=report_standing(scholars, today),
    )


def _activities(user) -> QuerySet[ExchangeActivity]:
    """The activities ``user`` may see, without the list's per-row annotations (for counting)."""
    return visible_activities(user=user)


def programme_figures(*, user, programme, today: datetime.date | None = None) -> HubFigures:
    scholars = visible_applications(user).filter(call__programme=programme, awarded_at__isnull=False)
    return hub_figures(
        user=user,
        calls=visible_calls(user).filter(programme=programme),
        scholars=scholars,
        tranches=tranche_list(user=user).filter(application__call__programme=programme),
        activities=_activities(user).filter(programme=programme),
        today=today,
    )


def partner_figures(*, user, organisation_ids, today: datetime.date | None = None) -> HubFigures:
    """The figures of the partners ``organisation_ids`` as host institution (calls, scholars, stipends) and of
    the exchange activities they host or take part in."""
    involved = Q(host_id__in=organisation_ids) | Q(partners__in=organisation_ids)
    activities = _activities(user).filter(pk__in=ExchangeActivity.objects.filter(involved).values("pk"))
    return hub_figures(
        user=user,
        calls=visible_calls(user).filter(host_id__in=organisation_ids),
        scholars=visible_applications(user).filter(call__host_id__in=organisation_ids, awarded_at__isnull=False),
        tranches=tranche_list(user=user).filter(application__call__host_id__in=organisation_ids),
        activities=activities,
        today=today,
    )


def awaiting_answer(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Awards the scholar has not answered yet, oldest award first."""
    return applications.filter(status=S.AWARDED).order_by("awarded_at", "pk")
