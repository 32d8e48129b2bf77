"""Pages of saved views and scheduled reports: saving a list's view, the owner's page of views and schedules,
and a recipient unsubscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cooperation.exports import selectors, services
from cooperation.exports.forms import SavedViewForm, SavedViewRenameForm, ScheduleForm
from cooperation.exports.saved import ReportSchedule
from cooperation.exports.scheduled import unsubscribe_target
from cooperation.forms import add_service_error

SAVED_VIEWS = "exports:saved_views"


def _page(request, *, rename_forms=None, schedule_forms=None):
    """The owner's saved views, each with its rename form and its schedule form (those given: with errors)."""
    rename_forms, schedule_forms = rename_forms or {}, schedule_forms or {}
    rows = []
    for view in selectors.own_saved_views(user=request.user):
        rename = rename_forms.get(view.pk) or SavedViewRenameForm(
            prefix=f"rename-{view.pk}", initial={"name": view.name, "shared_with_role": view.shared_with_role}
        )
        schedule = schedule_forms.get(view.pk) or ScheduleForm(prefix=f"schedule-{view.pk}", view=view)
        rows.append(
            {
                "view": view,
                "schedule": selectors.schedule_of(view),
                "rename_form": rename,
                "schedule_form": schedule,
                "open": view.pk in rename_forms or view.pk in schedule_forms,
            }
        )
    context = {"rows": rows, "shared": selectors.shared_saved_views(user=request.user)}
    return render(request, "exports/saved_views.html", context)


@login_required
def saved_views(request):
    return _page(request)


@require_POST
@login_required
def saved_view_create(request):
    """ "Save this view" from a list page: back to the list with the view saved, or the form with its errors."""
    form = SavedViewForm(request.POST, prefix=SavedViewForm.PREFIX)
    if form.is_valid():
        try:
            view = services.saved_view_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The view “%(name)s” is saved.") % {"name": view.name})
            return redirect(view.url)
    return render(request, "exports/saved_view_form.html", {"form": form})


@require_POST
@login_required
def saved_view_rename(request, pk):
    view = selectors.own_saved_view(user=request.user, pk=pk)
    form = SavedViewRenameForm(request.POST, prefix=f"rename-{view.pk}")
    if form.is_valid():
        try:
            services.saved_view_rename(view=view, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The view is now called “%(name)s”.") % {"name": view.name})
            return redirect(SAVED_VIEWS)
    return _page(request, rename_forms={view.pk: form})


@require_POST
@login_required
def saved_view_delete(request, pk):
    view = selectors.own_saved_view(user=request.user, pk=pk)
    services.saved_view_delete(view=view, user=request.user)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect(SAVED_VIEWS)


@require_POST
@login_required
def schedule_save(request, pk):
    """Schedule the owner's view, or change its schedule."""
    view = selectors.own_saved_view(user=request.user, pk=pk)
    form = ScheduleForm(request.POST, prefix=f"schedule-{view.pk}", view=view)
    if form.is_valid():
        try:
            services.schedule_create(view=view, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The report “%(name)s” is scheduled.") % {"name": view.name})
            return redirect(SAVED_VIEWS)
    return _page(request, schedule_forms={view.pk: form})


@require_POST
@login_required
def schedule_delete(request, pk):
    view = selectors.own_saved_view(user=request.user, pk=pk)
    schedule = selectors.schedule_of(view)
    if schedule is None:
        raise Http404
    services.schedule_delete(schedule=schedule, user=request.user)
    messages.success(request, _("The report “%(name)s” is no longer sent.") % {"name": view.name})
    return redirect(SAVED_VIEWS)


@require_http_methods(["GET", "POST"])
@login_required
def unsubscribe(request, token):
    """The link in a scheduled report: confirm, then stop sending it to the signed-in recipient. A token that is
    not genuine, or not the signed-in user's, is a 404."""
    target = unsubscribe_target(token)
    if target is None or target[1] != request.user.pk:
        raise Http404
    schedule = get_object_or_404(ReportSchedule.objects.select_related("saved_view__owner"), pk=target[0])
    subscribed = schedule.recipients.filter(pk=request.user.pk).exists()
    if request.method == "POST" and subscribed:
        services.schedule_unsubscribe(schedule=schedule, user=request.user)
        messages.success(request, _("You will no longer receive “%(name)s”.") % {"name": schedule.saved_view.name})
        return redirect(reverse("exports:unsubscribe", args=[token]))
    return render(request, "exports/unsubscribe.html", {"schedule": schedule, "subscribed": subscribed})
