"""What results contribute to the pages and lists that gather every module: the partner page's section (its
reports due, overdue and awaiting review), the partner's risk flag for overdue reports, and what waits for a user
(reports to review for officers, reports to send for partner users). Each reads the module's own selectors and
guards, so these lists and the report pages agree."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cooperation.access import sees_everything
from cooperation.inbox import ITEMS_PER_GROUP, InboxGroup, InboxItem
from cooperation.risk import Level, RiskFlag
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.results import selectors
from programs.results.models import Report, ReportStatus
from programs.results.portal_views import report_url
from programs.results.services.guards import report_move_refusal

NAMED_IN_FLAG = 3


def risk_grace_days() -> int:
    """Days after a report's due date before it counts against the partner (``RESULTS_OVERDUE_GRACE_DAYS``)."""
    return int(getattr(settings, "RESULTS_OVERDUE_GRACE_DAYS", 0))


def _workspace_url(entry: selectors.DueReport) -> str:
    if entry.report is not None:
        return reverse("results:report_detail", args=[entry.report.pk])
    return reverse("results:report_enter", args=[entry.period.pk, entry.organisation.pk])


def _label(entry: selectors.DueReport) -> str:
    return f"{entry.period.programme.code} · {entry.period}"


def partner_hub(request, organisation):
    """The partner page's Results section: the reports it owes (those overdue first named), and those it sent
    that wait for review; None for those who may not read reports."""
    user = request.user
    if not (sees_everything(user) and user.has_perm(Perm.VIEW_RESULTS_REPORT)):
        return None
    today = timezone.localdate()
    owed = selectors.reports_owed(today=today, organisation_ids=[organisation.pk])
    overdue = [entry for entry in owed if entry.overdue]
    rows = [(entry, _label(entry), _workspace_url(entry)) for entry in (overdue + [e for e in owed if not e.overdue])]
    awaiting = selectors.report_list(user=user).filter(organisation=organisation, status=ReportStatus.SUBMITTED)
    return {
        "due": len(owed),
        "overdue": len(overdue),
        "rows": rows[:ITEMS_PER_GROUP],
        "awaiting": awaiting.count(),
        "review_url": reverse("results:review_list"),
    }


def partner_flags(organisation, today: datetime.date | None = None) -> list[RiskFlag]:
    """``results.reports_overdue``: reports of this partner still unsent more than the grace days after their
    due date (the period's end plus the days the plan gives to report)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=risk_grace_days())
    late = [
        entry
        for entry in selectors.reports_owed(today=today, organisation_ids=[organisation.pk])
        if entry.period.due_on < cutoff
    ]
    if not late:
        return []
    named = ", ".join(_label(entry) for entry in late[:NAMED_IN_FLAG])
    message = ngettext(
        "%(count)d progress report overdue: %(named)s",
        "%(count)d progress reports overdue: %(named)s",
        len(late),
    ) % {"count": len(late), "named": named + ("…" if len(late) > NAMED_IN_FLAG else "")}
    url = reverse("results:review_list")
    return [RiskFlag("results.reports_overdue", message, Level.WARNING, count=len(late), url=url)]


def _reports_to_review(user) -> InboxGroup | None:
    if not (sees_everything(user) and user.has_perm(Perm.REVIEW_RESULTS_REPORT)):
        return None
    # Maker–checker in SQL, as the guard has it: an officer who entered a report for the partner does not review it.
    waiting = (
        Report.objects.filter(status=ReportStatus.SUBMITTED)
        .exclude(on_behalf=True, submitted_by=user)
        .select_related("period__programme", "organisation")
        .order_by("submitted_at", "pk")
    )
    shown = [report for report in waiting[:ITEMS_PER_GROUP] if report_move_refusal(report, user, "approve") is None]
    items = [
        InboxItem(
            title=f"{report.period.programme.code} · {report.organisation}",
            url=reverse("results:report_detail", args=[report.pk]),
            detail=str(report.period),
            since=report.submitted_at,
        )
        for report in shown
    ]
    url = reverse("results:review_list")
    return InboxGroup("results.reports_to_review", _("Results reports to review"), items, waiting.count(), url)


def _reports_to_send(user) -> InboxGroup | None:
    if sees_everything(user) or not user.has_perm(Perm.ADD_RESULTS_REPORT) or not user_organisation_ids(user):
        return None
    owed = selectors.reports_due(user=user, today=timezone.localdate())
    items = [
        InboxItem(
            title=_label(entry),
            url=report_url(entry.period.pk, entry.organisation.pk),
            detail=(_("Overdue") if entry.overdue else _("Due")) + f" · {entry.organisation}",
            since=entry.period.due_on,
        )
        for entry in owed[:ITEMS_PER_GROUP]
    ]
    url = reverse("results_portal:due")
    return InboxGroup("results.reports_to_send", _("Results reports to send"), items, len(owed), url)


def waiting_for(user) -> list[InboxGroup]:
    groups = (_reports_to_review(user), _reports_to_send(user))
    return [group for group in groups if group is not None]
