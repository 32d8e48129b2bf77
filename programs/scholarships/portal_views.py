"""Partner portal pages for the host institution: its scholars (from the award on), confirming enrolment,
reporting each term's progress, and the exchange activities it hosts or takes part in.

Every page reads through the scholarship selectors, so another organisation's scholar, report or activity is a
404 before any input is read. Applicants' personal data shows only where ``can_see_personal_data`` allows it
(the host, once the scholarship was awarded). Writes call one service each; their refusals come back next to
the field.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.pages import posted
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.portal.access import portal_page
from programs.scholarships import selectors, services
from programs.scholarships.alumni import milestone_due
from programs.scholarships.forms.alumni import HostOutcomeForm
from programs.scholarships.models import ApplicationStatus, ExchangeActivity, ExchangeStatus, Milestone
from programs.scholarships.portal_forms import AwardResponseForm, EnrolmentForm, ProgressReportForm
from programs.scholarships.views.activities import report_forms

PER_PAGE = 25
ACTIVITIES_ON_SCHOLAR_LIST = 5


def _with_due(scholars, today) -> list:
    """Give each scholar ``report_due`` (the next report owed, if enrolled) and whether it is already late."""
    scholars = list(scholars)
    for scholar in scholars:
        scholar.report_due = selectors.report_due_next(scholar)
        scholar.report_late = scholar.report_due is not None and scholar.report_due <= today
    return scholars


# --- scholars -----------------------------------------------------------------------------------------------------


@portal_page(perm=Perm.VIEW_APPLICATION)
def scholar_list(request):
    today = timezone.localdate()
    page = Paginator(selectors.hosted_scholars(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    activities = selectors.activity_list(user=request.user).order_by("-starts_on", "title")
    context = {
        "page_obj": page,
        "scholars": _with_due(page.object_list, today),
        "activities": _mark_hosting(activities[:ACTIVITIES_ON_SCHOLAR_LIST], request.user),
        "today": today,
    }
    return render(request, "scholarships/portal/scholar_list.html", context)


@portal_page()
def scholar_detail(request, pk):
    scholar = selectors.scholar_get(user=request.user, pk=pk)
    today = timezone.localdate()
    personal = selectors.can_see_personal_data(request.user, scholar)
    context = {
        "scholar": _with_due([scholar], today)[0],
        "personal_data_visible": personal,
        "attachments": selectors.application_attachments(user=request.user, application=scholar) if personal else [],
        "tranches": selectors.tranche_list(user=request.user, application=scholar),
        "reports": selectors.progress_report_list(user=request.user, application=scholar),
        "can_respond": services.application_move_refusal(scholar, request.user, "accept_award") is None,
        "can_enrol": services.application_move_refusal(scholar, request.user, "confirm_enrolment") is None,
        "can_report": services.report_submit_refusal(scholar, request.user) is None,
        "alumni_milestones": alumni_milestones(request.user, scholar),
    }
    return render(request, "scholarships/portal/scholar_detail.html", context)


def _scholar_form_page(request, pk, *, perm, form_class, run, template, offered):
    """A portal form about one scholar: through the selector first (another organisation's scholar is a 404 before
    any input is read), then the permission, then one service (``run(scholar, values)`` answers the redirect);
    a refusal comes back next to the field. ``offered(scholar)`` is the move's guard saying the form is shown."""
    scholar = selectors.scholar_get(user=request.user, pk=pk)
    require_perm(request.user, perm)
    form = form_class(posted(request))
    if form.is_bound and form.is_valid():
        try:
            return run(scholar, form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            scholar = selectors.scholar_get(user=request.user, pk=pk)
    scholar = _with_due([scholar], timezone.localdate())[0]
    context = {"scholar": scholar, "form": form, "can_act": offered(scholar) or form.is_bound}
    return render(request, template, context)


@portal_page(methods=("GET", "POST"))
def scholar_respond(request, pk):
    """The host institution records its scholar's answer to the award: accepted, or declined with the reason."""

    def run(scholar, values):
        if values["answer"] == AwardResponseForm.ACCEPT:
            services.application_accept_award(application=scholar, recorded_by=request.user)
            done = _("%(name)s accepted the award: confirm the enrolment once they have started.")
        else:
            services.application_decline_award(application=scholar, recorded_by=request.user, reason=values["reason"])
            done = _("%(name)s declined the award; the place goes back to the call.")
        messages.success(request, done % {"name": scholar.applicant_name})
        return redirect("scholarships_portal:scholar_detail", pk=scholar.pk)

    return _scholar_form_page(
        request,
        pk,
        perm=Perm.RECORD_AWARD_RESPONSE,
        form_class=AwardResponseForm,
        run=run,
        template="scholarships/portal/scholar_respond.html",
        offered=lambda scholar: services.application_move_refusal(scholar, request.user, "accept_award") is None,
    )


@portal_page(methods=("GET", "POST"))
def scholar_enrol(request, pk):
    def run(scholar, values):
        services.application_confirm_enrolment(
            application=scholar, confirmed_by=request.user, enrolled_on=values["enrolled_on"]
        )
        messages.success(
            request,
            _("Thank you: %(name)s's enrolment is confirmed and the stipend is scheduled.")
            % {"name": scholar.applicant_name},
        )
        return redirect("scholarships_portal:scholar_detail", pk=scholar.pk)

    return _scholar_form_page(
        request,
        pk,
        perm=Perm.CONFIRM_ENROLMENT,
        form_class=EnrolmentForm,
        run=run,
        template="scholarships/portal/scholar_enrol.html",
        offered=lambda scholar: services.application_move_refusal(scholar, request.user, "confirm_enrolment") is None,
    )


@portal_page(methods=("GET", "POST"))
def scholar_report(request, pk):
    def run(scholar, values):
        report = services.progress_report_submit(application=scholar, submitted_by=request.user, **values)
        messages.success(request, _("Thank you: the progress report is submitted for the agency to review."))
        return redirect("scholarships_portal:report_detail", pk=report.pk)

    return _scholar_form_page(
        request,
        pk,
        perm=Perm.ADD_PROGRESS_REPORT,
        form_class=ProgressReportForm,
        run=run,
        template="scholarships/portal/scholar_report.html",
        offered=lambda scholar: services.report_submit_refusal(scholar, request.user) is None,
    )


@portal_page()
def report_detail(request, pk):
    report = selectors.progress_report_get(user=request.user, pk=pk)
    return render(request, "scholarships/portal/report_detail.html", {"report": report})


# --- activities ---------------------------------------------------------------------------------------------------


def _mark_hosting(activities, user) -> list:
    """Give each activity ``we_host``: whether one of the user's organisations is its host (and reports on it)."""
    own = set(user_organisation_ids(user))
    activities = list(activities)
    for activity in activities:
        activity.we_host = activity.host_id in own
    return activities


def _we_host(user, activity: ExchangeActivity) -> bool:
    return activity.host_id in user_organisation_ids(user)


@portal_page(perm=Perm.VIEW_EXCHANGE_ACTIVITY)
def activity_list(request):
    activities = selectors.activity_list(user=request.user).order_by("-starts_on", "title")
    page = Paginator(activities, PER_PAGE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "activities": _mark_hosting(page.object_list, request.user)}
    return render(request, "scholarships/portal/activity_list.html", context)


@portal_page()
def activity_detail(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    context = {
        "activity": activity,
        "participants": selectors.activity_participants(user=request.user, activity=activity),
        "we_host": _we_host(request.user, activity),
        "can_report": request.user.has_perm(Perm.REPORT_EXCHANGE_ACTIVITY)
        and activity.status != ExchangeStatus.CANCELLED,
    }
    return render(request, "scholarships/portal/activity_detail.html", context)


@portal_page(methods=("GET", "POST"))
def activity_report(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.REPORT_EXCHANGE_ACTIVITY)
    if not _we_host(request.user, activity):
        if request.method == "POST":
            raise PermissionDenied(_("Only the host partner can report on this activity."))
        return render(request, "scholarships/portal/activity_report.html", {"activity": activity, "we_host": False})
    form, formset, saved = report_forms(request, activity)
    if saved:
        return redirect("scholarships_portal:activity_detail", pk=activity.pk)
    context = {"activity": activity, "we_host": True, "form": form, "formset": formset}
    return render(request, "scholarships/portal/activity_report.html", context)


# --- alumni outcomes ----------------------------------------------------------------------------------------------


def alumni_milestones(user, scholar) -> list[dict]:
    """Each milestone of a completed scholar: when it falls, its outcome if recorded, and whether ``user`` may record
    or correct it now (two queries)."""
    if scholar.status != ApplicationStatus.COMPLETED or scholar.completed_on is None:
        return []
    outcomes = selectors.scholar_outcomes(user=user, application=scholar)
    rows = []
    for milestone in Milestone:
        outcome = outcomes.get(milestone.value)
        if outcome is None:
            can_act = services.outcome_record_refusal(scholar, user, milestone.value) is None
        else:
            can_act = services.outcome_edit_refusal(outcome, user) is None
        rows.append(
            {
                "milestone": milestone,
                "due_on": milestone_due(scholar.completed_on, milestone.value),
                "outcome": outcome,
                "can_act": can_act,
            }
        )
    return rows


@portal_page(methods=("GET", "POST"))
def scholar_outcome(request, pk, milestone: int):
    """The host records (or corrects, until it is locked or the window ends) an alumnus's outcome at a milestone."""
    scholar = selectors.scholar_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_ALUMNI_OUTCOME)
    if milestone not in Milestone.values:
        raise Http404
    outcome = selectors.scholar_outcomes(user=request.user, application=scholar).get(milestone)
    data = posted(request)
    form = HostOutcomeForm.for_outcome(outcome, data) if outcome else HostOutcomeForm(data)
    if outcome is None:
        refusal = services.outcome_record_refusal(scholar, request.user, milestone)
    else:
        refusal = services.outcome_edit_refusal(outcome, request.user)
    if form.is_bound and form.is_valid():
        try:
            if outcome is None:
                services.alumni_outcome_record(
                    application=scholar, milestone=milestone, recorded_by=request.user, **form.cleaned_data
                )
            else:
                services.alumni_outcome_update(outcome=outcome, changed_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: the alumnus's outcome is recorded."))
            return redirect("scholarships_portal:scholar_detail", pk=scholar.pk)
    context = {
        "scholar": scholar,
        "milestone": Milestone(milestone),
        "outcome": outcome,
        "form": form,
        "refusal": refusal if not form.is_bound else None,
        "can_act": refusal is None or form.is_bound,
    }
    return render(request, "scholarships/portal/scholar_outcome.html", context)
