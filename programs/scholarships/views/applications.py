"""Officer pages for scholarship applications: the list, the application's page with its moves, its files.

Applicants' email, date of birth and files are shown only to those the privacy rule admits
(``selectors.with_personal_data_flag``); everyone else sees "—". Every move is a POST to its own URL that calls
exactly one service; a refusal shows the page again with the error next to the field and nothing changed.
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cooperation import personal_data
from cooperation.forms import dress_filters
from cooperation.history import HistorySource, history_entries
from cooperation.pages import (
    Column,
    PageMove,
    filter_fields,
    list_page,
    paged_by_ids,
    record_actions,
    record_views,
    service_call,
    workspace_page,
)
from cooperation.risk import partner_risk_flags
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.filters import ApplicationFilter
from programs.scholarships.forms.applications import (
    AttachmentForm,
    CompleteForm,
    DeclineForm,
    OptionalReasonForm,
    ProposeAwardForm,
    ReasonForm,
)
from programs.scholarships.models import Application
from programs.scholarships.references import application_reference
from programs.scholarships.services.guards import APPLICATION_MOVE_PERMS
from programs.scholarships.views.calls import url_if_exists

# Each sortable column orders by its fields (ties broken by the applicant's name, then the id).
APPLICATION_COLUMNS = [
    Column(gettext_lazy("Applicant"), "applicant", order_by=("applicant_name", "pk")),
    Column(gettext_lazy("Call"), "call", order_by=("call__title", "applicant_name", "pk")),
    Column(gettext_lazy("Nationality"), "nationality", order_by=("nationality__name", "applicant_name", "pk")),
    Column(gettext_lazy("Gender"), "gender", order_by=("gender", "applicant_name", "pk")),
    Column(gettext_lazy("Status"), "status", order_by=("status", "applicant_name", "pk")),
    Column(gettext_lazy("Weighted score"), "score", numeric=True, order_by=("weighted_score", "applicant_name", "pk")),
    Column(gettext_lazy("Reviews in"), "reviews", numeric=True, order_by=("reviews_completed", "applicant_name", "pk")),
]
MAIN_FILTERS = ("q", "call", "status")


# --- The list ---------------------------------------------------------------------------------------------------


# Columns whose order is a figure computed per application: sorting by them computes it for every row.
SORTED_BY_FIGURES = ("score", "reviews")


def _with_figures(user):
    return selectors.with_weighted_score(selectors.application_list(user=user))


def application_filters(request, rows=None) -> ApplicationFilter:
    """The list's filters over the applications the user may see (``rows``, else with their weighted score);
    ``request`` needs only ``user`` and ``GET`` (the list's export reads the same rows)."""
    rows = _with_figures(request.user) if rows is None else rows
    filters = ApplicationFilter(request.GET or None, queryset=rows, request=request)
    dress_filters(filters.form, checkboxes=("status",), any_of=("call", "nationality", "gender", "source"))
    return filters


def shows_personal_columns(user) -> bool:
    """Whether the list offers the applicants' personal columns at all: to those who may see personal data and to
    reviewers; each row still shows them only where the privacy rule admits the user. Auditors never see them."""
    return user.has_perm(Perm.SEE_PERSONAL_DATA) or user.has_perm(Perm.REVIEW_APPLICATION)


@workspace_page(perm=Perm.VIEW_APPLICATION)
def application_list(request):
    user = request.user
    # Paged by ids first, unless sorted by a figure; the score and review counts are read for the page's rows alone.
    filters, rows, prepare = paged_by_ids(
        request,
        SORTED_BY_FIGURES,
        filters=application_filters,
        rows=selectors.application_rows(user=user),
        page=lambda ids: selectors.application_page(ids, user=user, rows=_with_figures(user)),
    )

    shows_email = shows_personal_columns(user)
    columns = list(APPLICATION_COLUMNS)
    if shows_email:
        columns.insert(1, Column(gettext_lazy("Email")))
    return list_page(
        request,
        "scholarships/application_list.html",
        rows,
        name="applications",
        prepare=prepare,
        columns=columns,
        **filter_fields(request, filters.form, MAIN_FILTERS),
        shows_email=shows_email,
    )


# --- The moves --------------------------------------------------------------------------------------------------


S = services


def _by(service, actor: str):
    """A page move's call: the service, naming the user as its ``actor`` argument, with the form's values."""
    return service_call(service, "application", actor)


MOVES = {
    "mark_eligible": PageMove(
        gettext_lazy("Mark eligible"),
        _by(S.application_mark_eligible, "decided_by"),
        gettext_lazy("%(name)s's application is eligible; it can now be reviewed and ranked."),
    ),
    "mark_ineligible": PageMove(
        gettext_lazy("Mark ineligible"),
        _by(S.application_mark_ineligible, "decided_by"),
        gettext_lazy("%(name)s's application was found ineligible."),
        ReasonForm,
        danger=True,
    ),
    "shortlist": PageMove(
        gettext_lazy("Shortlist"),
        _by(S.application_shortlist, "decided_by"),
        gettext_lazy("%(name)s was shortlisted."),
        OptionalReasonForm,
    ),
    "propose_award": PageMove(
        gettext_lazy("Propose an award"),
        _by(S.application_propose_award, "proposed_by"),
        gettext_lazy("An award to %(name)s was proposed; another manager approves or rejects it."),
        ProposeAwardForm,
    ),
    "approve_award": PageMove(
        gettext_lazy("Approve the award"),
        _by(S.application_approve_award, "approved_by"),
        gettext_lazy("The award to %(name)s was approved."),
    ),
    "reject_award": PageMove(
        gettext_lazy("Reject the proposal"),
        _by(S.application_reject_award, "rejected_by"),
        gettext_lazy("The proposed award to %(name)s was rejected; the application stays shortlisted."),
        ReasonForm,
        danger=True,
    ),
    "accept_award": PageMove(
        gettext_lazy("Scholar accepted"),
        _by(S.application_accept_award, "recorded_by"),
        gettext_lazy("%(name)s accepted the award; the host institution confirms the enrolment."),
    ),
    "decline_award": PageMove(
        gettext_lazy("Scholar declined"),
        _by(S.application_decline_award, "recorded_by"),
        gettext_lazy("%(name)s declined the award; the place goes back to the call."),
        DeclineForm,
        danger=True,
    ),
    "complete": PageMove(
        gettext_lazy("Record completion"),
        _by(S.application_complete, "completed_by"),
        gettext_lazy("%(name)s completed the scholarship."),
        CompleteForm,
    ),
    "withdraw": PageMove(
        gettext_lazy("Withdraw"),
        _by(S.application_withdraw, "withdrawn_by"),
        gettext_lazy("%(name)s's application was withdrawn."),
        ReasonForm,
        danger=True,
    ),
    "terminate": PageMove(
        gettext_lazy("Terminate"),
        _by(S.application_terminate, "terminated_by"),
        gettext_lazy("%(name)s's application was terminated."),
        ReasonForm,
        danger=True,
    ),
    "attachment_add": PageMove(
        gettext_lazy("Add a PDF file"),
        _by(S.attachment_add, "uploaded_by"),
        gettext_lazy("The file was added to %(name)s's application."),
        AttachmentForm,
        anchor="#attachments",
    ),
}


def _actions(user, application: Application, refused=None) -> list:
    return record_actions(
        application,
        user,
        MOVES,
        guard=services.application_move_refusal,
        url_name="scholarships:application_{name}",
        refused=refused,
    )


# --- The application's page -------------------------------------------------------------------------------------


def _history(application: Application, personal_data_visible: bool) -> list:
    entries = history_entries([HistorySource(Application.history.filter(id=application.pk))])
    if personal_data_visible:
        return entries
    hidden = {
        capfirst(Application._meta.get_field(name).verbose_name) for name in personal_data.personal_fields(Application)
    }
    redacted = selectors.REDACTED
    return [
        replace(
            entry,
            changes=[
                replace(change, old=redacted, new=redacted) if change.label in hidden else change
                for change in entry.changes
            ],
        )
        for entry in entries
    ]


def _host_flags(user, application: Application) -> list:
    """The host institution's risk flags, shown above the award proposal when the user may propose one."""
    if services.application_move_refusal(application, user, "propose_award") is not None:
        return []
    return partner_risk_flags(application.call.host)


def _detail_page(request, application: Application, refused=None, status: int = 200):
    user = request.user
    visible = selectors.can_see_personal_data(user, application)
    score = (
        selectors.with_weighted_score(Application.objects.filter(pk=application.pk))
        .values_list("weighted_score", flat=True)
        .first()
    )
    reviews = list(selectors.application_reviews(user=user, application=application))
    call = application.call
    return render(
        request,
        "scholarships/application_detail.html",
        {
            "application": application,
            "reference": application_reference(application.pk),
            "personal_data_visible": visible,
            "email": application.email if visible else selectors.REDACTED,
            "date_of_birth": application.date_of_birth if visible else None,
            "attachments": list(selectors.application_attachments(user=user, application=application))
            if visible
            else None,
            "attachment_count": None if visible else application.attachments.count(),
            "weighted_score": score,
            "reviews": reviews,
            "reviews_completed": sum(1 for review in reviews if review.state == "completed"),
            "reviewers_url": url_if_exists("scholarships:call_reviewers", call.pk)
            or reverse("scholarships:call_detail", args=[call.pk]),
            "can_assign_reviewers": user.has_perm(Perm.ADD_REVIEW),
            "tranches": list(selectors.tranche_list(user=user, application=application)),
            "tranches_url": url_if_exists("scholarships:tranche_list"),
            "reports": list(selectors.progress_report_list(user=user, application=application)),
            "reports_url": url_if_exists("scholarships:report_list"),
            "follow_up": selectors.alumni_follow_up(user=user, application=application),
            "can_renew_links": user.has_perm(Perm.CHANGE_APPLICATION),
            "today": timezone.localdate(),
            "actions": _actions(user, application, refused),
            "risk_flags": _host_flags(user, application),
            "history": _history(application, visible) if user.has_perm(Perm.VIEW_HISTORY) else None,
        },
        status=status,
    )


application_detail, application_move = record_views(
    perm=Perm.VIEW_APPLICATION,
    get=selectors.application_get,
    moves=MOVES,
    perms=APPLICATION_MOVE_PERMS,
    show_page=_detail_page,
    page_url="scholarships:application_detail",
    done_values=lambda application: {"name": application.applicant_name},
)


# --- The applicant's files --------------------------------------------------------------------------------------


@require_GET
@login_required
def attachment_download(request, pk):
    """Stream one private file to those the privacy rule admits (the host institution too, after award); 404 for
    anyone else, so nobody learns whether the file exists."""
    return attachment_response(selectors.attachment_get(user=request.user, pk=pk))


def attachment_response(attachment) -> FileResponse:
    """One applicant's file, never cached nor sniffed (the page and the API both answer with it)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
