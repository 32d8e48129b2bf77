"""Review pages: the reviewer's own assignments, the rubric and the conflict declaration; officers assigning
reviewers to a call's applications; the ranking; the queue of awards waiting for a manager.

Every write is one review service; a refusal or bad input shows the page again with the error next to the
field (or at the top) and nothing saved. Moves on an application (shortlist, propose, approve, reject an award)
belong to the application's pages: the buttons here post to them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.pages import list_page, posted, workspace_page
from cooperation.refusals import Refused
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.forms.reviews import (
    AssignReviewersForm,
    AwardRejectForm,
    ConflictForm,
    ReviewerForm,
    RubricForm,
)
from programs.scholarships.models import UNDER_REVIEW, ApplicationStatus, Review


def url_exists(name: str) -> bool:
    """Whether a page of another part of the scholarships front door is wired, so a link to it can be shown."""
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def application_links() -> dict[str, bool]:
    return {
        "application_page": url_exists("scholarships:application_detail"),
        "attachment_download": url_exists("scholarships:attachment_download"),
        "shortlist": url_exists("scholarships:application_shortlist"),
        "propose_award": url_exists("scholarships:application_propose_award"),
        "approve_award": url_exists("scholarships:application_approve_award"),
        "reject_award": url_exists("scholarships:application_reject_award"),
    }


# --- The reviewer's side ------------------------------------------------------------------------------------------


@workspace_page(perm=Perm.REVIEW_APPLICATION)
def review_list(request):
    return list_page(request, "scholarships/review_list.html", selectors.my_reviews(user=request.user), name="reviews")


def _my_review(user, pk) -> Review:
    """The user's own assignment; anyone else's is 404, even for staff who see every application."""
    return get_object_or_404(selectors.my_reviews(user=user).select_related("application__call__host"), pk=pk)


def _review_page(request, review: Review, *, rubric_form=None, conflict_form=None):
    application = review.application
    # The privacy rule already keeps a recused reviewer out of the file they stepped away from.
    show_personal_data = selectors.can_see_personal_data(request.user, application)
    criteria = list(application.call.criteria.all())
    scores = {score.criterion_id: score.score for score in review.scores.all()}
    # The review's guard: only its reviewer scores, while the application is under review, unless recused.
    refusal = services.review_move_refusal(review, request.user, "score")
    open_for_review = refusal is None or refusal.code != Refused.WRONG_STATUS
    refusals = []
    if refusal is None:
        rubric_form = rubric_form or RubricForm(criteria=criteria, scores=scores, initial={"comments": review.comments})
        conflict_form = conflict_form or ConflictForm()
    else:
        # A refused POST on a review that is closed to scoring: its error goes to the top of the page.
        refusals = [
            error for form in (rubric_form, conflict_form) if form is not None for error in form.non_field_errors()
        ]
        rubric_form = conflict_form = None
    return render(
        request,
        "scholarships/review_detail.html",
        {
            "review": review,
            "application": application,
            "show_personal_data": show_personal_data,
            "attachments": list(application.attachments.all()) if show_personal_data else [],
            "scored": [(criterion, scores.get(criterion.pk)) for criterion in criteria],
            "open_for_review": open_for_review,
            "rubric_form": rubric_form,
            "conflict_form": conflict_form,
            "refusals": refusals,
            "links": application_links(),
        },
    )


@workspace_page(object_page=True)
def review_detail(request, pk):
    """The application and the rubric; a POST scores it (again, while it is under review)."""
    review = _my_review(request.user, pk)
    if request.method != "POST":
        return _review_page(request, review)
    criteria = review.application.call.criteria.all()
    form = RubricForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            services.review_submit_scores(
                review=review, reviewer=request.user, scores=form.scores(), comments=form.cleaned_data["comments"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Your scores for %(name)s were saved.") % {"name": review.application.applicant_name}
            )
            return redirect("scholarships:review_detail", pk=review.pk)
    return _review_page(request, _my_review(request.user, pk), rubric_form=form)


@require_POST
@workspace_page(object_page=True)
def review_conflict(request, pk):
    review = _my_review(request.user, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            services.review_declare_conflict(
                review=review, reviewer=request.user, note=form.cleaned_data["conflict_note"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("You declared a conflict of interest and are recused from this application."))
            return redirect("scholarships:review_detail", pk=review.pk)
    return _review_page(request, _my_review(request.user, pk), conflict_form=form)


# --- Assigning reviewers ------------------------------------------------------------------------------------------


def _back_to(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _naming(review: Review, message: str) -> str:
    """``message`` with the review's reviewer and applicant filled in."""
    reviewer = review.reviewer
    return message % {
        "reviewer": reviewer.get_full_name() or reviewer.username,
        "name": review.application.applicant_name,
    }


@require_POST
@workspace_page(object_page=True)
def review_unassign(request, pk):
    review = selectors.review_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_REVIEW)
    application = review.application
    try:
        services.review_unassign(review=review, removed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _naming(review, _("%(reviewer)s no longer reviews %(name)s.")))
    return redirect(_back_to(request, reverse("scholarships:call_reviewers", args=[application.call_id])))


class _NothingSaved(Exception):
    """Rolls back every assignment of the form once one of them is refused."""


def _assign_all(form: AssignReviewersForm, user) -> int:
    """Assign every chosen pair in one transaction: all of them, or none when one is refused (its error is shown
    next to its application)."""
    assigned = 0
    try:
        with transaction.atomic():
            for application, field, reviewer_id in form.pairs():
                try:
                    services.review_assign(application=application, reviewer=reviewer_id, assigned_by=user)
                except ValidationError as error:
                    form.add_error(field, error.messages)
                else:
                    assigned += 1
            if form.errors:
                raise _NothingSaved
    except _NothingSaved:
        return 0
    return assigned


@workspace_page(object_page=True)
def call_reviewers(request, pk):
    call = selectors.call_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_REVIEW)
    reviews = Review.objects.select_related("reviewer").order_by("pk")
    applications = (
        selectors.application_list(user=request.user)
        .filter(call=call, status__in=UNDER_REVIEW)
        .prefetch_related(Prefetch("reviews", queryset=reviews, to_attr="assigned_reviews"))
        .order_by("submitted_on", "pk")
    )
    form = AssignReviewersForm(posted(request), applications=applications, candidates=selectors.reviewer_candidates())
    if request.method == "POST" and form.is_valid():
        assigned = _assign_all(form, request.user)
        if not form.errors:
            if assigned:
                messages.success(
                    request,
                    ngettext("%(count)d reviewer was assigned.", "%(count)d reviewers were assigned.", assigned)
                    % {"count": assigned},
                )
            return redirect("scholarships:call_reviewers", pk=call.pk)
    rows = form.rows()
    for application, _field in rows:
        for review in application.assigned_reviews:
            review.can_take_off = services.unassign_refusal(review, request.user) is None
    return render(
        request,
        "scholarships/review_assign.html",
        {"call": call, "form": form, "rows": rows, "links": application_links()},
    )


@require_POST
@workspace_page(object_page=True)
def application_review_assign(request, pk):
    """Assign one reviewer to one application, from the application's page."""
    application = selectors.application_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_REVIEW)
    form = ReviewerForm(request.POST, candidates=selectors.reviewer_candidates())
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer from the list."))
    else:
        try:
            review = services.review_assign(
                application=application, reviewer=form.cleaned_data["reviewer"], assigned_by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _naming(review, _("%(reviewer)s now reviews %(name)s.")))
    if url_exists("scholarships:application_detail"):
        fallback = reverse("scholarships:application_detail", args=[application.pk])
    else:
        fallback = reverse("scholarships:call_reviewers", args=[application.call_id])
    return redirect(_back_to(request, fallback))


# --- Ranking and awards -------------------------------------------------------------------------------------------


@workspace_page(object_page=True, perm=Perm.VIEW_APPLICATION)
def call_ranking(request, pk):
    call = selectors.call_get(user=request.user, pk=pk)
    rows = list(selectors.ranking(user=request.user, call=call))
    rank = 0
    for row in rows:
        if row.weighted_score is not None:
            rank += 1
            row.rank = rank
        else:
            row.rank = None
    return render(
        request,
        "scholarships/ranking.html",
        {
            "call": call,
            "rows": rows,
            "places_left": max(call.awards_available - call.awards_made, 0),
            "can_move": request.user.has_perm(Perm.CHANGE_APPLICATION),
            "can_assign": request.user.has_perm(Perm.ADD_REVIEW),
            "links": application_links(),
            "Status": ApplicationStatus,
        },
    )


@workspace_page(perm=Perm.VIEW_APPLICATION)
def award_list(request):
    user = request.user
    proposals = list(selectors.award_proposals(user=user).select_related("call"))
    for proposal in proposals:
        # The application's move reads the reason under its own prefix; the ids stay unique per row.
        proposal.reject_form = AwardRejectForm(prefix="reject_award", auto_id=f"id_%s_{proposal.pk}")
        refusal = services.application_move_refusal(
            proposal, user, "approve_award", call_awards_held=proposal.call_awards_held
        )
        code = refusal.code if refusal is not None else ""
        proposal.own_proposal = code == Refused.OWN_RECORD
        proposal.quota_full = refusal.message if code == services.ScholarshipRefusal.AWARD_QUOTA_REACHED else ""
    return render(
        request,
        "scholarships/award_list.html",
        {
            "proposals": proposals,
            "recent": selectors.recent_awards(user=user),
            "quotas": selectors.call_quotas(user=user),
            "can_decide": user.has_perm(Perm.APPROVE_AWARD),
            "links": application_links(),
        },
    )
