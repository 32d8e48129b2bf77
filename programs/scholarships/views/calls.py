"""Officer pages for scholarship calls: the list, the call with its rubric, and recording an application received.

Every write calls one service; a refusal shows the form again with the error next to the field and nothing saved.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.forms import add_service_error, dress_filters
from cooperation.pages import Column, list_page, paged_by_ids, posted, workspace_page
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.filters import CallFilter
from programs.scholarships.forms.calls import ApplicationForm, CallForm, CriterionFormSet, add_call_error
from programs.scholarships.models import ApplicationStatus, Call, CallStatus

# Each sortable column orders by its fields (ties broken by the title, then the id).
CALL_COLUMNS = [
    Column(gettext_lazy("Title"), "title", order_by=("title", "pk")),
    Column(gettext_lazy("Host institution"), "host", order_by=("host__name", "title", "pk")),
    Column(gettext_lazy("Level"), "level", order_by=("level", "title", "pk")),
    Column(gettext_lazy("State"), "state", order_by=("status", "closes_on", "title", "pk")),
    Column(gettext_lazy("Closes on"), "closes", order_by=("closes_on", "title", "pk")),
    Column(gettext_lazy("Applications"), "applications", numeric=True, order_by=("application_count", "title", "pk")),
    Column(gettext_lazy("Awards"), "awards", numeric=True, order_by=("awards_made", "title", "pk")),
]


def url_if_exists(name: str, *args) -> str:
    """The URL of a page another part of the workspace provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- The list ---------------------------------------------------------------------------------------------------


# Columns whose order is a count per call: sorting by them counts for every call.
SORTED_BY_FIGURES = ("applications", "awards")


def call_filters(request, rows=None) -> CallFilter:
    """The list's filters over the calls the user may see (``rows``, else with their counts); ``request`` needs only
    ``user`` and ``GET`` (the list's export reads the same rows)."""
    rows = selectors.call_list(user=request.user) if rows is None else rows
    filters = CallFilter(request.GET or None, queryset=rows, request=request)
    dress_filters(
        filters.form, search_help=_("Title or host institution."), any_of=("programme", "host", "level", "state")
    )
    return filters


@workspace_page(perm=Perm.VIEW_CALL)
def call_list(request):
    user = request.user
    # Paged by ids first, unless sorted by a count; the counts and related rows are read for the page's calls alone.
    filters, rows, prepare = paged_by_ids(
        request,
        SORTED_BY_FIGURES,
        filters=call_filters,
        rows=selectors.call_rows(user=user),
        page=lambda ids: selectors.call_page(ids, user=user),
    )

    return list_page(
        request,
        "scholarships/call_list.html",
        rows,
        name="calls",
        prepare=prepare,
        columns=CALL_COLUMNS,
        filters=list(filters.form),
        can_add=request.user.has_perm(Perm.ADD_CALL),
    )


# --- The call and its rubric, on one form -----------------------------------------------------------------------


class _NothingSaved(Exception):
    """Rolls back the call's changes when its rubric was refused (or the other way round)."""


def _call_form_page(request, form, formset, call: Call | None, save, done: str):
    """Save the call and its rubric in one transaction: all of it, or nothing when anything is refused.

    The call's service runs even when a rubric row is invalid, so the officer sees every error at once.
    """
    if request.method == "POST":
        rows_valid = formset.is_valid()
        try:
            with transaction.atomic():
                if not form.is_valid():
                    raise _NothingSaved
                try:
                    saved = save(form, formset)
                except ValidationError as error:
                    add_call_error(form, formset, error)
                    raise _NothingSaved from None
                if not rows_valid:
                    raise _NothingSaved
        except _NothingSaved:
            if call is not None:
                call.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, done % {"title": saved.title})
            return redirect("scholarships:call_detail", pk=saved.pk)
    return render(request, "scholarships/call_form.html", {"form": form, "formset": formset, "call": call})


@workspace_page(perm=Perm.ADD_CALL)
def call_create(request):
    form = CallForm(posted(request), user=request.user)
    formset = CriterionFormSet(posted(request))

    def save(form, formset):
        return services.call_create(created_by=request.user, criteria=formset.criteria(), **form.call_values())

    return _call_form_page(request, form, formset, None, save, _("The call “%(title)s” was created."))


@workspace_page(object_page=True)
def call_edit(request, pk):
    call = selectors.call_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_CALL)
    form = CallForm(posted(request), instance=call, user=request.user)
    formset = CriterionFormSet(posted(request), call=call)

    def save(form, formset):
        errors = None
        try:
            services.call_update(call=call, updated_by=request.user, **form.call_values())
        except ValidationError as error:
            errors = error
        if formset.rubric_changed():
            try:
                services.call_set_criteria(call=call, updated_by=request.user, criteria=formset.criteria())
            except ValidationError as error:
                # Both refusals at once: the officer fixes the call and the rubric in one go.
                errors = ValidationError({"criteria": error.messages, **(errors.error_dict if errors else {})})
        if errors is not None:
            raise errors
        return call

    return _call_form_page(request, form, formset, call, save, _("The call “%(title)s” was saved."))


# --- The call's page --------------------------------------------------------------------------------------------


@workspace_page(object_page=True, perm=Perm.VIEW_CALL)
def call_detail(request, pk):
    call = selectors.call_get(user=request.user, pk=pk)
    per_status = dict(
        selectors.application_list(user=request.user)
        .filter(call=call)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    status_counts = [(status, per_status[status.value]) for status in ApplicationStatus if status.value in per_status]
    return render(
        request,
        "scholarships/call_detail.html",
        {
            "call": call,
            "criteria": list(selectors.call_criteria(call)),
            "countries": list(call.eligible_countries.order_by("name")),
            "status_counts": status_counts,
            "applications_url": reverse("scholarships:application_list") + f"?call={call.pk}",
            "reviewers_url": url_if_exists("scholarships:call_reviewers", call.pk)
            if request.user.has_perm(Perm.ADD_REVIEW)
            else "",
            "ranking_url": url_if_exists("scholarships:call_ranking", call.pk),
            "can_edit": request.user.has_perm(Perm.CHANGE_CALL),
            "can_record": request.user.has_perm(Perm.ADD_APPLICATION) and call.status == CallStatus.OPEN,
        },
    )


# --- Recording an application received --------------------------------------------------------------------------


@workspace_page(object_page=True)
def call_application_create(request, pk):
    call = selectors.call_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_APPLICATION)
    form = ApplicationForm(posted(request), request.FILES if request.method == "POST" else None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_submit(call=call, submitted_by=request.user, **form.application_values())
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The application of %(name)s was recorded.") % {"name": application.applicant_name}
            )
            return redirect("scholarships:application_detail", pk=application.pk)
    return render(
        request,
        "scholarships/call_application_form.html",
        {"form": form, "call": call, "call_is_open": call.status == CallStatus.OPEN},
    )
