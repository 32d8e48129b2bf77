"""Alumni outcomes: the officers' list and an outcome's page (locking it is a manager's move), and the alumnus's
private link, which needs no login: the key in the URL is the credential, and it records once.

A refusal or bad input shows the form again with the error next to the field, nothing saved; never a 500.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.history import HistorySource, history_entries
from cooperation.pages import list_view, record_page, workspace_page
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.alumni import alumni_language_for, milestone_due
from programs.scholarships.filters import OutcomeFilter
from programs.scholarships.forms.alumni import OutcomeForm
from programs.scholarships.models import AlumniOutcome, Milestone
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.scholarships.views.reviews import url_exists

outcome_list = list_view(
    "scholarships/outcome_list.html",
    selectors.outcome_list,
    name="outcomes",
    perm=Perm.VIEW_ALUMNI_OUTCOME,
    filters=OutcomeFilter,
    main=("call", "milestone", "country", "gender", "returned"),
)


def _outcome_page(request, outcome: AlumniOutcome, *, errors=()):
    user = request.user
    lock = services.outcome_lock_refusal(outcome, user)
    history = None
    if user.has_perm(Perm.VIEW_HISTORY):
        history = history_entries([HistorySource(AlumniOutcome.history.filter(id=outcome.pk))])
    return render(
        request,
        "scholarships/outcome_detail.html",
        {
            "outcome": outcome,
            "scholar": outcome.application,
            "due_on": milestone_due(outcome.application.completed_on, outcome.milestone),
            "editable_until": services.editable_until(outcome),
            "can_lock": lock is None,
            "errors": list(errors),
            "history": history,
            "application_page": url_exists("scholarships:application_detail"),
        },
    )


outcome_detail = record_page(selectors.outcome_get, _outcome_page, perm=Perm.VIEW_ALUMNI_OUTCOME)


@require_POST
@workspace_page(object_page=True)
def outcome_lock(request, pk):
    outcome = selectors.outcome_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.LOCK_ALUMNI_OUTCOME)
    try:
        services.alumni_outcome_lock(outcome=outcome, locked_by=request.user)
    except ValidationError as error:
        return _outcome_page(request, selectors.outcome_get(user=request.user, pk=pk), errors=error.messages)
    messages.success(request, _("The outcome is locked: nobody can change it any more."))
    return redirect("scholarships:outcome_detail", pk=outcome.pk)


# --- the alumnus's private link -----------------------------------------------------------------------------------

# What the page answers for a link that cannot record: unknown (404), or ended (410).
LINK_STATUS = {
    ScholarshipRefusal.LINK_INVALID: 404,
    ScholarshipRefusal.LINK_USED: 410,
    ScholarshipRefusal.LINK_EXPIRED: 410,
}


@never_cache
@require_http_methods(["GET", "POST"])
def alumni_link(request, key: str):
    """The alumnus's questions, by their private link (no login). Shown in the alumnus's language unless they
    chose one with the site's language switch."""
    invitation = services.invitation_for_key(key)
    language = translation.get_language()
    if invitation is not None and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = alumni_language_for(invitation.application)
    with translation.override(language):
        refusal = services.link_refusal(invitation)
        if refusal is not None:
            context = {"refusal": refusal, "done": refusal.code == ScholarshipRefusal.LINK_USED}
            return render(request, "scholarships/alumni_link.html", context, status=LINK_STATUS[refusal.code])
        form = OutcomeForm(request.POST if request.method == "POST" else None)
        if form.is_bound and form.is_valid():
            try:
                services.alumni_outcome_record_by_link(key=key, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                context = {"done": True, "thanks": True}
                return render(request, "scholarships/alumni_link.html", context)
        context = {
            "form": form,
            "scholar": invitation.application,
            "milestone": Milestone(invitation.milestone).label,
            "expires_at": invitation.expires_at,
        }
        return render(request, "scholarships/alumni_link.html", context)


@require_POST
@workspace_page(object_page=True, perm=Perm.CHANGE_APPLICATION)
def invitation_renew(request, pk):
    """An officer emails the alumnus a new private link for a milestone; back to the scholar's page."""
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    try:
        services.alumni_link_renew(invitation=invitation, renewed_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        notice = _("A new link was emailed to %(name)s; the link sent before no longer works.")
        messages.success(request, notice % {"name": invitation.application.applicant_name})
    return redirect(reverse("scholarships:application_detail", args=[invitation.application_id]) + "#alumni")
