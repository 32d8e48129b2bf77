"""Officer workspace pages for partner organisations and their contacts."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import registry
from cooperation.access import require_perm
from cooperation.pages import Column, list_page, posted, saved_from, workspace_page
from cooperation.roles import Perm
from partners import selectors, services
from partners.contributions import organisation_counts
from partners.filters import OrganisationFilter
from partners.forms import ContactForm, OrganisationForm

ORGANISATION_COLUMNS = [
    Column(gettext_lazy("Name"), "name"),
    Column(gettext_lazy("Acronym"), "acronym"),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Country"), "country"),
    Column(gettext_lazy("Active")),
]


def _organisation_columns() -> list[Column]:
    """The list's columns, with a numeric one before "Active" for each count another app registered."""
    counts = [Column(count.label, numeric=True) for count in organisation_counts()]
    return [*ORGANISATION_COLUMNS[:-1], *counts, ORGANISATION_COLUMNS[-1]]


def _with_counts(organisations) -> list:
    """The page's organisations, each with ``counts``: (label, value) for the registered count columns."""
    organisations = list(organisations)
    for organisation in organisations:
        organisation.counts = [(count.label, getattr(organisation, count.name)) for count in organisation_counts()]
    return organisations


@workspace_page()
def organisation_list(request):
    # A registered count groups the query, which drops the model's default ordering: name it again.
    organisations = selectors.organisation_list(user=request.user).order_by("name")
    filterset = OrganisationFilter(request.GET or None, queryset=organisations)
    return list_page(
        request,
        "partners/organisation_list.html",
        filterset.qs,
        name="organisations",
        prepare=_with_counts,
        columns=_organisation_columns(),
        filterset=filterset,
        can_add=request.user.has_perm(Perm.ADD_ORGANISATION),
    )


@workspace_page()
def organisation_create(request):
    require_perm(request.user, Perm.ADD_ORGANISATION)
    form = OrganisationForm(posted(request))
    organisation = saved_from(request, form, services.organisation_create, created_by=request.user)
    if organisation is not None:
        messages.success(request, _("Partner %(name)s was added.") % {"name": organisation})
        return redirect("partners:detail", pk=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": None})


@workspace_page(object_page=True)
def organisation_detail(request, pk):
    user = request.user
    organisation = selectors.organisation_get(user=user, pk=pk)
    history = None
    if user.has_perm(Perm.VIEW_HISTORY):
        history = selectors.organisation_history(user=user, organisation=organisation)
    return render(
        request,
        "partners/organisation_detail.html",
        {
            "organisation": organisation,
            "contacts": selectors.contact_list(user=user, organisation=organisation),
            "panels": registry.rendered_panels("partner.detail", request, organisation),
            "history": history,
            "can_change": user.has_perm(Perm.CHANGE_ORGANISATION),
            "can_add_contact": user.has_perm(Perm.ADD_CONTACT),
            "can_change_contact": user.has_perm(Perm.CHANGE_CONTACT),
        },
    )


@workspace_page(object_page=True)
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_ORGANISATION)
    form = OrganisationForm(posted(request), instance=organisation)
    saved = saved_from(
        request,
        form,
        services.organisation_update,
        organisation=organisation,
        updated_by=request.user,
        refused=organisation.refresh_from_db,
    )
    if saved is not None:
        messages.success(request, _("Partner %(name)s was saved.") % {"name": organisation})
        return redirect("partners:detail", pk=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": organisation})


@workspace_page(object_page=True)
def contact_create(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_CONTACT)
    form = ContactForm(posted(request))
    if (
        saved_from(request, form, services.contact_create, organisation=organisation, created_by=request.user)
        is not None
    ):
        messages.success(request, _("The contact was added."))
        return redirect("partners:detail", pk=organisation.pk)
    return render(request, "partners/contact_form.html", {"form": form, "organisation": organisation, "contact": None})


@workspace_page(object_page=True)
def contact_edit(request, pk, contact_pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    contact = get_object_or_404(selectors.contact_list(user=request.user, organisation=organisation), pk=contact_pk)
    require_perm(request.user, Perm.CHANGE_CONTACT)
    form = ContactForm(posted(request), instance=contact)
    if saved_from(
        request,
        form,
        services.contact_update,
        contact=contact,
        updated_by=request.user,
        refused=contact.refresh_from_db,
    ):
        messages.success(request, _("The contact was saved."))
        return redirect("partners:detail", pk=organisation.pk)
    return render(
        request, "partners/contact_form.html", {"form": form, "organisation": organisation, "contact": contact}
    )
