"""Reports: those a partner must send, those an officer must review, and one report's values."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.pages import in_order
from cooperation.roles import Perm
from partners.models import Organisation
from partners.selectors import user_organisation_ids
from programs.results.models import ActualValue, Breakdown, Evidence, Indicator, Period, Report, ReportStatus
from programs.selectors import today_or


def report_list(*, user) -> QuerySet[Report]:
    """Every report for staff; for a partner user, their organisations' reports only."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULTS_REPORT)):
        return Report.objects.none()
    reports = Report.objects.select_related("period__programme", "organisation", "submitted_by", "reviewed_by")
    if sees_everything(user):
        return reports
    return reports.filter(organisation_id__in=user_organisation_ids(user))


def report_rows(*, user) -> QuerySet[Report]:
    """The reports of ``report_list`` without the rows they show beside them: what the API sorts, filters and pages
    before ``report_page`` reads the page's reports whole (its sort then carries no programme or user rows)."""
    return report_list(user=user).select_related(None)


def report_page(ids, *, user) -> list[Report]:
    """The reports of a page (their ``ids`` in the list's order) as ``report_list`` reads them."""
    return in_order(ids, report_list(user=user))


def report_get(*, user, pk) -> Report:
    return get_object_or_404(report_list(user=user), pk=pk)


def report_values(report: Report) -> dict[int, ActualValue]:
    """The report's values by indicator id, each with its breakdown (two queries)."""
    actuals = report.values.prefetch_related(
        Prefetch("breakdown", queryset=Breakdown.objects.select_related("dimension_value__dimension"))
    )
    return {actual.indicator_id: actual for actual in actuals}


def awaiting_review(*, user) -> QuerySet[Report]:
    """Submitted reports, oldest first: what the officers review next (auditors see the same list, read-only)."""
    if not sees_everything(user):
        return Report.objects.none()
    return report_list(user=user).filter(status=ReportStatus.SUBMITTED).order_by("submitted_at", "pk")


def evidence_get(*, user, pk) -> Evidence:
    """An evidence file of a report ``user`` may see; 404 otherwise."""
    return get_object_or_404(Evidence.objects.filter(report__in=report_list(user=user)).select_related("report"), pk=pk)


@dataclass(frozen=True)
class DueReport:
    """A report a partner owes: the period, the partner, the report begun (or None) and whether it is late."""

    period: Period
    organisation: Organisation
    report: Report | None
    overdue: bool


def reports_due(*, user, today: datetime.date | None = None, programme=None) -> list[DueReport]:
    """The reports still to be sent (none begun, a draft, or returned) for periods that have begun (of one
    ``programme`` when given): a partner user's organisations' own, every partner's for staff; soonest due first."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULTS_REPORT)):
        return []
    organisation_ids = None if sees_everything(user) else user_organisation_ids(user)
    return reports_owed(today=today, organisation_ids=organisation_ids, programme=programme)


def reports_owed(*, today: datetime.date | None = None, organisation_ids=None, programme=None) -> list[DueReport]:
    """What the agency is owed (for its daily reminders): the reports still to be sent for periods that have
    begun, by every reporting partner or by ``organisation_ids``; soonest due first. Four queries."""
    today = today_or(today)
    reporters = Indicator.objects.filter(result__programme_id=OuterRef("programme_id"))
    if organisation_ids is not None:
        reporters = reporters.filter(reporter_id__in=organisation_ids)
    else:
        reporters = reporters.filter(reporter__isnull=False)
    periods = Period.objects.filter(starts_on__lte=today)
    if programme is not None:
        periods = periods.filter(programme=programme)
    periods = list(periods.filter(Exists(reporters)).select_related("programme").order_by("due_on", "pk"))
    pairs = (
        Indicator.objects.filter(result__programme_id__in={period.programme_id for period in periods})
        .exclude(reporter__isnull=True)
        .order_by()
        .values_list("result__programme_id", "reporter_id")
        .distinct()
    )
    if organisation_ids is not None:
        pairs = pairs.filter(reporter_id__in=organisation_ids)
    reporters_of: dict[int, set[int]] = {}
    for programme_id, organisation_id in pairs:
        reporters_of.setdefault(programme_id, set()).add(organisation_id)
    organisations = Organisation.objects.in_bulk({pk for ids in reporters_of.values() for pk in ids})
    begun = {
        (report.period_id, report.organisation_id): report
        for report in Report.objects.order_by()
        .filter(period__in=periods)
        .filter(Q(organisation_id__in=organisation_ids) if organisation_ids is not None else Q())
    }
    due = []
    for period in periods:
        for organisation_id in sorted(reporters_of.get(period.programme_id, ())):
            report = begun.get((period.pk, organisation_id))
            if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
                continue
            due.append(DueReport(period, organisations[organisation_id], report, overdue=period.due_on < today))
    return due


def overdue_count(*, user, today: datetime.date | None = None, programme_ids) -> int:
    """How many of the reports ``reports_due`` lists for ``user`` are overdue, among the periods of
    ``programme_ids`` (ids or a subquery of them; None: of every programme): counted in SQL, one query however many
    periods and partners."""
    if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULTS_REPORT)):
        return 0
    today = today_or(today)
    sent = Report.objects.filter(
        period_id=OuterRef("pk"),
        organisation_id=OuterRef("organisation_id"),
        status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    )
    reporters = {"programme__results__indicators__reporter__isnull": False}
    if programme_ids is not None:
        reporters["programme_id__in"] = programme_ids
    if not sees_everything(user):  # in the same filter: the same indicator reports and is theirs
        reporters["programme__results__indicators__reporter_id__in"] = user_organisation_ids(user)
    pairs = (
        Period.objects.filter(starts_on__lte=today, due_on__lt=today, **reporters)
        .annotate(organisation_id=F("programme__results__indicators__reporter_id"))
        .filter(~Exists(sent))
        .order_by()
        .values_list("pk", "organisation_id")
        .distinct()
    )
    return pairs.count()


class OverdueReports:
    """The reports past their due date and not sent, soonest due first, as a list a paginator pages: the pairs of
    period and partner owed are read once (three numbers each: finding them is what costs, counting them costs the
    same), then a slice reads its page's periods, partners and begun reports (four queries in all), so a page costs
    the same queries however many are owed.

    The same rows, in the same order, as the overdue entries of ``reports_due``."""

    def __init__(self, *, user, today: datetime.date | None = None):
        self.today = today_or(today)
        if not (user and user.is_authenticated and user.has_perm(Perm.VIEW_RESULTS_REPORT)):
            self.pairs = Period.objects.none()
            return
        sent = Report.objects.filter(
            period_id=OuterRef("pk"),
            organisation_id=OuterRef("organisation_id"),
            status__in=(ReportStatus.SUBMITTED, ReportStatus.APPROVED),
        )
        reporters = {"programme__results__indicators__reporter__isnull": False}
        if not sees_everything(user):  # in the same filter: the same indicator reports and is theirs
            reporters["programme__results__indicators__reporter_id__in"] = user_organisation_ids(user)
        self.pairs = (
            Period.objects.filter(starts_on__lte=self.today, due_on__lt=self.today, **reporters)
            .annotate(organisation_id=F("programme__results__indicators__reporter_id"))
            .filter(~Exists(sent))
            .values_list("due_on", "pk", "organisation_id")
            .distinct()
            .order_by("due_on", "pk", "organisation_id")
        )

    @cached_property
    def owed(self) -> list[tuple[int, int]]:
        """Every pair of period and partner owed, in the list's order."""
        return [(period_id, organisation_id) for _due, period_id, organisation_id in self.pairs]

    def count(self) -> int:
        return len(self.owed)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self):
        return iter(self[:])

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        pairs = self.owed[index]
        periods = Period.objects.select_related("programme").in_bulk({period_id for period_id, _ in pairs})
        organisations = Organisation.objects.in_bulk({organisation_id for _, organisation_id in pairs})
        begun = {
            (report.period_id, report.organisation_id): report
            for report in Report.objects.filter(period_id__in=periods, organisation_id__in=organisations)
        }
        return [
            DueReport(periods[period_id], organisations[organisation_id], begun.get((period_id, organisation_id)), True)
            for period_id, organisation_id in pairs
        ]
