"""Stipend tranches, progress reports, and the host institution's scholars with what it owes."""

import datetime

from django.db.models import (
    Case,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships.models import (
    Application,
    ApplicationStatus,
    ProgressReport,
    ReportStatus,
    StipendTranche,
    TrancheStatus,
)
from programs.scholarships.selectors._common import may
from programs.scholarships.selectors.applications import scholar_list
from programs.scholarships.terms import latest_report_due, report_due_dates
from programs.selectors import today_or

# --- stipends and progress reports --------------------------------------------------------------------------------


def scholar_scope(user, link: str) -> Q | None:
    """None for staff; otherwise the condition for rows about the user's organisation's scholars."""
    if sees_everything(user):
        return None
    return Q(**{f"{link}__awarded_at__isnull": False, f"{link}__call__host_id__in": user_organisation_ids(user)})


def _about_scholars(rows: QuerySet, *, user, perm: str, application: Application | None) -> QuerySet:
    """The ``rows`` about scholars that ``user`` may see with ``perm`` (a partner: their organisation's scholars),
    narrowed to one scholar's ``application`` when given."""
    if not may(user, perm):
        return rows.none()
    scope = scholar_scope(user, "application")
    if scope is not None:
        rows = rows.filter(scope)
    if application is not None:
        rows = rows.filter(application=application)
    return rows


def tranche_list(*, user, application: Application | None = None) -> QuerySet[StipendTranche]:
    tranches = StipendTranche.objects.select_related("application__call", "currency", "approved_by")
    return _about_scholars(tranches, user=user, perm=Perm.VIEW_STIPEND, application=application).order_by(
        "due_on", "application_id", "number"
    )


def tranches_due(*, user, on: datetime.date | None = None) -> QuerySet[StipendTranche]:
    """Scheduled tranches due on or before ``on`` (today by default), oldest first."""
    return tranche_list(user=user).filter(status=TrancheStatus.SCHEDULED, due_on__lte=today_or(on))


def progress_report_list(*, user, application: Application | None = None) -> QuerySet[ProgressReport]:
    reports = ProgressReport.objects.select_related("application__call", "submitted_by", "reviewed_by")
    return _about_scholars(reports, user=user, perm=Perm.VIEW_PROGRESS_REPORT, application=application).order_by(
        "-period_end", "-pk"
    )


def progress_report_get(*, user, pk) -> ProgressReport:
    return get_object_or_404(progress_report_list(user=user), pk=pk)


def tranche_get(*, user, pk) -> StipendTranche:
    return get_object_or_404(tranche_list(user=user), pk=pk)


# --- the host institution's scholars and what it owes -------------------------------------------------------------


def hosted_scholars(*, user) -> QuerySet[Application]:
    """``scholar_list`` with ``latest_report_end``: the end of the latest period covered by a report that is in
    (submitted or accepted; a returned one is to be replaced), in SQL, for ``report_due_next``."""
    in_hand = ProgressReport.objects.filter(
        application=OuterRef("pk"), status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ).order_by("-period_end")
    return scholar_list(user=user).annotate(latest_report_end=Subquery(in_hand.values("period_end")[:1]))


def report_due_next(scholar: Application) -> datetime.date | None:
    """The first progress report due date no report in hand covers yet (past or coming), for an enrolled scholar
    from ``hosted_scholars``; None when the scholar is not enrolled or every report is in."""
    if scholar.status != ApplicationStatus.ENROLLED or scholar.enrolled_on is None:
        return None
    covered = scholar.latest_report_end
    for due in report_due_dates(scholar.enrolled_on, scholar.call.duration_months):
        if covered is None or covered < due:
            return due
    return None


def scholar_get(*, user, pk) -> Application:
    """One scholar (an application awarded at some point) ``user`` may see, flagged for personal data; else 404."""
    scholar = get_object_or_404(
        hosted_scholars(user=user).select_related("call__stipend_currency", "enrolment_confirmed_by"), pk=pk
    )
    scholar._flag_user_id = user.pk
    return scholar


def tranche_queue(*, user) -> QuerySet[StipendTranche]:
    """``tranche_list`` with the period ends of the scholar's latest accepted (``accepted_report_end``), latest
    submitted, still undecided (``submitted_report_end``, ``submitted_report_id``) and latest returned
    (``returned_report_end``) progress reports, so ``tranche_report_gate`` needs no query per row."""

    def latest(status, field="period_end"):
        reports = ProgressReport.objects.filter(application=OuterRef("application_id"), status=status)
        return Subquery(reports.order_by("-period_end", "-pk").values(field)[:1])

    return tranche_list(user=user).annotate(
        accepted_report_end=latest(ReportStatus.ACCEPTED),
        submitted_report_end=latest(ReportStatus.SUBMITTED),
        submitted_report_id=latest(ReportStatus.SUBMITTED, "pk"),
        returned_report_end=latest(ReportStatus.RETURNED),
    )


def tranche_report_gate(tranche: StipendTranche) -> tuple[datetime.date | None, str]:
    """(the due date of the report the tranche waits for, "none", "accepted", "submitted", "returned" or "missing");
    the same rule as ``services.stipends.report_gate``, read from ``tranche_queue``'s annotations."""
    application = tranche.application
    due = latest_report_due(application.enrolled_on, application.call.duration_months, tranche.due_on)
    if due is None:
        return None, "none"
    for state in ("accepted", "submitted", "returned"):
        period_end = getattr(tranche, f"{state}_report_end")
        if period_end is not None and period_end >= due:
            return due, state
    return due, "missing"


def report_queue(*, user) -> QuerySet[ProgressReport]:
    """Progress reports, those awaiting an officer's decision first, then the newest periods."""
    awaiting = Case(When(status=ReportStatus.SUBMITTED, then=Value(0)), default=Value(1))
    return progress_report_list(user=user).order_by(awaiting, "period_end", "pk")
