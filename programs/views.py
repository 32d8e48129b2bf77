"""Officer workspace pages for programmes: list, create and edit with partners, detail, progress notes."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation import registry
from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.kept import render_kept, render_refreshed
from cooperation.pages import Column, filter_fields, list_page, posted, record_page, workspace_page
from cooperation.roles import Perm
from programs import iati, selectors, services
from programs.filters import ProgrammeFilter
from programs.forms import ParticipantFormSet, ProgrammeForm, ProgrammeUpdateForm, add_programme_error

PROGRAMME_COLUMNS = [
    Column(gettext_lazy("Code"), "code"),
    Column(gettext_lazy("Title"), "title"),
    Column(gettext_lazy("Forms")),
    Column(gettext_lazy("Status"), "status"),
    Column(gettext_lazy("Countries")),
    Column(gettext_lazy("Budget"), "budget", numeric=True),
    Column(gettext_lazy("Partners")),
]

# Filters shown without opening "More filters"; the rest stay folded so a phone reaches the table.
MAIN_FILTERS = ("q", "ordering")


@workspace_page()
def programme_list(request):
    filterset = ProgrammeFilter(
        request.GET or None, queryset=selectors.programme_list(user=request.user), request=request
    )
    return list_page(
        request,
        "programs/programme_list.html",
        filterset.qs,
        name="programmes",
        columns=PROGRAMME_COLUMNS,
        filterset=filterset,
        **filter_fields(request, filterset.form, MAIN_FILTERS),
        can_add=request.user.has_perm(Perm.ADD_PROGRAMME),
    )


@workspace_page(perm=Perm.ADD_PROGRAMME)
def programme_create(request):
    form = ProgrammeForm(posted(request))
    formset = ParticipantFormSet(posted(request))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            programme = services.programme_create(
                created_by=request.user, participants=formset.participants(), **form.cleaned_data
            )
        except ValidationError as error:
            add_programme_error(form, formset, error)
        else:
            messages.success(request, _("Programme %(code)s was created.") % {"code": programme.code})
            return redirect("programs:detail", pk=programme.pk)
    return render(request, "programs/programme_form.html", {"form": form, "formset": formset, "programme": None})


@workspace_page(object_page=True)
def programme_edit(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_PROGRAMME)
    form = ProgrammeForm(posted(request), instance=programme)
    formset = ParticipantFormSet(posted(request), programme=programme)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.programme_update(
                programme=programme, updated_by=request.user, participants=formset.participants(), **form.cleaned_data
            )
        except ValidationError as error:
            add_programme_error(form, formset, error)
            programme.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, _("Programme %(code)s was saved.") % {"code": programme.code})
            return redirect("programs:detail", pk=programme.pk)
    return render(request, "programs/programme_form.html", {"form": form, "formset": formset, "programme": programme})


def _iati_problems(user, programme) -> list[str] | None:
    """What keeps a programme marked for IATI out of the file, for those who edit or publish it (None: no note)."""
    if not programme.publish_to_iati:
        return None
    if not (user.has_perm(Perm.CHANGE_PROGRAMME) or user.has_perm(Perm.EXPORT_DATA)):
        return None
    return iati.readiness([programme])[programme.pk]


# The programme's page adds up every module's figures for it: refreshed by the worker after a change (registered in
# ``apps.py``), and computed while its reader waits after their own (``cooperation.kept.render_refreshed``).
PROGRAMME_HUB = "programs.programme_detail"


def _hub_context(request, programme, update_form=None) -> dict:
    user = request.user
    can_post_update = user.has_perm(Perm.ADD_PROGRAMME_UPDATE)
    if can_post_update and update_form is None:
        update_form = ProgrammeUpdateForm()
    prefetch_related_objects([programme], *selectors.programme_relations())
    return {
        "programme": programme,
        "participations": programme.participations.all(),
        "updates": selectors.programme_updates_with_emails(user=user, programme=programme),
        "can_resend": user.has_perm(Perm.RESEND_MESSAGE),
        "update_form": update_form if can_post_update else None,
        "history": selectors.programme_history(user=user, programme=programme)
        if user.has_perm(Perm.VIEW_HISTORY)
        else None,
        "can_change": user.has_perm(Perm.CHANGE_PROGRAMME),
        "iati_problems": _iati_problems(user, programme),
        "panels": registry.rendered_panels("programme.detail", request, programme),
    }


def programme_hub_body(request, pk) -> dict:
    """The body of programme ``pk``'s page, as the reader of ``request`` may see it (404 otherwise)."""
    return _hub_context(request, selectors.programme_get(user=request.user, pk=pk, relations=False))


def _detail_page(request, programme, update_form=None):
    if request.method == "GET" and update_form is None:
        return render_refreshed(
            request, "programs/programme_detail.html", PROGRAMME_HUB, context={"programme": programme}
        )
    # A POST that shows the page again with its errors: computed for it alone, never kept.
    return render_kept(
        request,
        "programs/programme_detail.html",
        "programs/_programme_detail_body.html",
        lambda: _hub_context(request, programme, update_form),
        context={"programme": programme},
    )


programme_detail = record_page(partial(selectors.programme_get, relations=False), _detail_page)


@require_POST
@workspace_page(object_page=True)
def programme_post_update(request, pk):
    programme = selectors.programme_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_PROGRAMME_UPDATE)
    form = ProgrammeUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.programme_update_post(programme=programme, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your progress note was posted."))
            return redirect(reverse("programs:detail", args=[programme.pk]) + "#updates")
    return _detail_page(request, programme, update_form=form)
