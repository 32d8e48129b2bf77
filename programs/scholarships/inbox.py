"""What waits for a user in this module, for "Waiting for me".

Staff: proposed awards this manager may approve (not their own proposal, within the call's places), progress
reports to accept or return, and stipend tranches due that may be approved (the progress report they wait for
accepted). Partner users: enrolments to confirm, progress reports due, and awards their scholars have to accept
or decline. Each list is narrowed in SQL first, then every item shown passes the same guard as its page.
"""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.inbox import ITEMS_PER_GROUP, InboxGroup, InboxItem
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.scholarships import selectors
from programs.scholarships.models import ApplicationStatus, ReportStatus, TrancheStatus
from programs.scholarships.references import application_reference
from programs.scholarships.selectors._common import may
from programs.scholarships.selectors.hub import enrolled_scholars, first_uncovered_due
from programs.scholarships.services.guards import application_move_refusal
from programs.scholarships.services.stipends import report_decide_refusal, report_submit_refusal, tranche_move_refusal

S = ApplicationStatus


def _title(application) -> str:
    return f"{application_reference(application.pk)} · {application.call.title}"


def _group(key, label, rows, *, total, item, url="") -> InboxGroup:
    return InboxGroup(key, label, [item(row) for row in rows[:ITEMS_PER_GROUP]], total, url)


# --- staff --------------------------------------------------------------------------------------------------------


def award_approvals(user) -> InboxGroup:
    if not may(user, Perm.APPROVE_AWARD):
        return InboxGroup("scholarships.award_approvals", _("Scholarship awards to approve"))
    rows = (
        selectors.award_proposals(user=user)
        .exclude(award_proposed_by=user)
        .filter(call_awards_held__lt=F("call__awards_available"))
    )
    total = rows.count()
    shown = [
        row
        for row in rows[:ITEMS_PER_GROUP]
        if application_move_refusal(row, user, "approve_award", call_awards_held=row.call_awards_held) is None
    ]
    return _group(
        "scholarships.award_approvals",
        _("Scholarship awards to approve"),
        shown,
        total=total,
        url=reverse("scholarships:award_list"),
        item=lambda row: InboxItem(
            _title(row),
            reverse("scholarships:application_detail", args=[row.pk]),
            _("proposed by %(name)s") % {"name": row.award_proposed_by},
            row.award_proposed_at,
        ),
    )


def reports_to_review(user) -> InboxGroup:
    if not may(user, Perm.CHANGE_PROGRESS_REPORT):
        return InboxGroup("scholarships.reports_to_review", _("Scholar progress reports to review"))
    rows = selectors.progress_report_list(user=user).filter(status=ReportStatus.SUBMITTED).order_by("created_at", "pk")
    shown = [row for row in rows[:ITEMS_PER_GROUP] if report_decide_refusal(row, user) is None]
    return _group(
        "scholarships.reports_to_review",
        _("Scholar progress reports to review"),
        shown,
        total=rows.count(),
        url=reverse("scholarships:report_list"),
        item=lambda row: InboxItem(
            f"{_title(row.application)} · {row.term_label}",
            reverse("scholarships:report_detail", args=[row.pk]),
            str(row.result),
            row.created_at,
        ),
    )


def tranche_approvals(user) -> InboxGroup:
    """Tranches due by today that the report gate lets through: the gate is computed from the queue's annotations
    (no query per tranche), so the total is counted over every candidate, not only the shown ones."""
    if not may(user, Perm.APPROVE_STIPEND):
        return InboxGroup("scholarships.tranche_approvals", _("Stipend tranches to approve"))
    candidates = selectors.tranche_queue(user=user).filter(
        status=TrancheStatus.SCHEDULED, application__status=S.ENROLLED, due_on__lte=timezone.localdate()
    )
    ready = [
        row
        for row in candidates.order_by("due_on", "pk")
        if tranche_move_refusal(row, user, "approve", known_gate=selectors.tranche_report_gate(row)) is None
    ]
    list_url = reverse("scholarships:tranche_list")
    return _group(
        "scholarships.tranche_approvals",
        _("Stipend tranches to approve"),
        ready,
        total=len(ready),
        url=f"{list_url}?status={TrancheStatus.SCHEDULED}",
        item=lambda row: InboxItem(
            f"{_title(row.application)} · #{row.number}",
            f"{list_url}?call={row.application.call_id}&status={TrancheStatus.SCHEDULED}",
            f"{row.currency.code} {row.amount}",
            row.due_on,
        ),
    )


# --- the host institution -----------------------------------------------------------------------------------------


def _own_scholars(user):
    return selectors.hosted_scholars(user=user).filter(call__host_id__in=user_organisation_ids(user))


def enrolments_to_confirm(user) -> InboxGroup:
    if not may(user, Perm.CONFIRM_ENROLMENT):
        return InboxGroup("scholarships.enrolments_to_confirm", _("Scholar enrolments to confirm"))
    rows = _own_scholars(user).filter(status=S.ACCEPTED).order_by("updated_at", "pk")
    shown = [row for row in rows[:ITEMS_PER_GROUP] if application_move_refusal(row, user, "confirm_enrolment") is None]
    return _group(
        "scholarships.enrolments_to_confirm",
        _("Scholar enrolments to confirm"),
        shown,
        total=rows.count(),
        url=reverse("scholarships_portal:scholar_list"),
        item=lambda row: InboxItem(
            f"{row.applicant_name} · {row.call.title}",
            reverse("scholarships_portal:scholar_enrol", args=[row.pk]),
            since=row.updated_at,
        ),
    )


def reports_due(user) -> InboxGroup:
    """Enrolled scholars whose next report's period has ended (so it can be submitted) and none is in hand."""
    if not may(user, Perm.ADD_PROGRESS_REPORT):
        return InboxGroup("scholarships.reports_due", _("Scholar progress reports due"))
    today = timezone.localdate()
    owed = []
    for scholar in enrolled_scholars(_own_scholars(user)):
        due = first_uncovered_due(scholar)
        if due is not None and due <= today and report_submit_refusal(scholar, user) is None:
            owed.append((scholar, due))
    owed.sort(key=lambda pair: (pair[1], pair[0].pk))
    return _group(
        "scholarships.reports_due",
        _("Scholar progress reports due"),
        owed,
        total=len(owed),
        url=reverse("scholarships_portal:scholar_list"),
        item=lambda pair: InboxItem(
            f"{pair[0].applicant_name} · {pair[0].call.title}",
            reverse("scholarships_portal:scholar_report", args=[pair[0].pk]),
            since=pair[1],
        ),
    )


def award_responses(user) -> InboxGroup:
    """Awards the host institution records its scholar's answer to (the scholar answers through the host)."""
    if not may(user, Perm.RECORD_AWARD_RESPONSE):
        return InboxGroup("scholarships.award_responses", _("Scholarship awards to accept or decline"))
    rows = _own_scholars(user).filter(status=S.AWARDED).order_by("awarded_at", "pk")
    shown = [row for row in rows[:ITEMS_PER_GROUP] if application_move_refusal(row, user, "accept_award") is None]
    return _group(
        "scholarships.award_responses",
        _("Scholarship awards to accept or decline"),
        shown,
        total=rows.count(),
        url=reverse("scholarships_portal:scholar_list"),
        item=lambda row: InboxItem(
            f"{row.applicant_name} · {row.call.title}",
            reverse("scholarships_portal:scholar_respond", args=[row.pk]),
            since=row.awarded_at,
        ),
    )


def waiting_for(user) -> list[InboxGroup]:
    if sees_everything(user):
        return [award_approvals(user), reports_to_review(user), tranche_approvals(user)]
    if user_organisation_ids(user):
        return [enrolments_to_confirm(user), reports_due(user), award_responses(user)]
    return []
