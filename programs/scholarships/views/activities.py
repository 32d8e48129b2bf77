"""Officer pages for exchange activities: the list with its filters, the activity's form and page, and reporting
who took part. Each write calls one activity service; a refusal shows the form again with the error next to the
field and nothing saved.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.history import HistorySource, history_entries
from cooperation.pages import form_page, list_view, posted, workspace_page
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.filters import ActivityListFilter
from programs.scholarships.forms.activities import (
    ActivityForm,
    ActivityReportForm,
    ParticipantFormSet,
    add_report_error,
)
from programs.scholarships.models import ExchangeActivity, ExchangeStatus

MAIN_FILTERS = ("q", "kind", "status", "year")


activity_list = list_view(
    "scholarships/activity_list.html",
    selectors.activity_list,
    name="activities",
    perm=Perm.VIEW_EXCHANGE_ACTIVITY,
    add_perm=Perm.ADD_EXCHANGE_ACTIVITY,
    filters=ActivityListFilter,
    main=MAIN_FILTERS,
)


def _form_page(request, activity: ExchangeActivity | None = None):
    """The activity's form, new (``activity`` None) or edited; once saved, back to its page."""
    if activity is None:
        save = partial(services.activity_create, created_by=request.user)
    else:
        save = partial(services.activity_update, activity=activity, updated_by=request.user)
    return form_page(
        request,
        ActivityForm(posted(request), instance=activity),
        save,
        done=lambda saved: (
            _("The activity “%(title)s” was saved.") % {"title": saved.title},
            reverse("scholarships:activity_detail", args=[saved.pk]),
        ),
        template="scholarships/activity_form.html",
        context={"activity": activity},
    )


@workspace_page(perm=Perm.ADD_EXCHANGE_ACTIVITY)
def activity_create(request):
    return _form_page(request)


@workspace_page(object_page=True)
def activity_edit(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_EXCHANGE_ACTIVITY)
    return _form_page(request, activity)


def _history(activity: ExchangeActivity) -> list:
    return history_entries([HistorySource(ExchangeActivity.history.filter(id=activity.pk))])


@workspace_page(object_page=True)
def activity_detail(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "activity": activity,
        "participants": selectors.activity_participants(user=user, activity=activity),
        "can_edit": user.has_perm(Perm.CHANGE_EXCHANGE_ACTIVITY),
        "can_report": user.has_perm(Perm.REPORT_EXCHANGE_ACTIVITY) and activity.status != ExchangeStatus.CANCELLED,
        "history": _history(activity) if user.has_perm(Perm.VIEW_HISTORY) else None,
    }
    return render(request, "scholarships/activity_detail.html", context)


def report_forms(request, activity: ExchangeActivity) -> tuple[ActivityReportForm, ParticipantFormSet, bool]:
    """The report's form and participant list, bound on POST; True once ``activity_report`` saved them."""
    if request.method != "POST":
        form = ActivityReportForm(initial=ActivityReportForm.initial_for(activity))
        formset = ParticipantFormSet(initial=ParticipantFormSet.initial_for(activity), prefix="participants")
        return form, formset, False
    form = ActivityReportForm(request.POST)
    formset = ParticipantFormSet(request.POST, prefix="participants")
    if form.is_valid() and formset.is_valid():
        try:
            services.activity_report(
                activity=activity, reported_by=request.user, participants=formset.participants(), **form.cleaned_data
            )
        except ValidationError as error:
            add_report_error(error, form=form, formset=formset)
        else:
            messages.success(request, _("Thank you: the participants and outcomes of this activity are recorded."))
            return form, formset, True
    return form, formset, False


@workspace_page(object_page=True)
def activity_report(request, pk):
    activity = selectors.activity_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.REPORT_EXCHANGE_ACTIVITY)
    form, formset, saved = report_forms(request, activity)
    if saved:
        return redirect("scholarships:activity_detail", pk=activity.pk)
    return render(
        request,
        "scholarships/activity_report.html",
        {"activity": activity, "form": form, "formset": formset},
    )
