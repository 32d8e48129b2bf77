"""Officer workspace pages for partner organisations and their contacts."""

from functools import partial

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import registry
from cooperation.access import require_perm
from cooperation.kept import render_refreshed
from cooperation.pages import Column, form_page, list_page, posted, workspace_page
from cooperation.risk import partner_risk_flags
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


def organisation_filterset(request, organisations=None) -> OrganisationFilter:
    """The partner list's filters and sort over the organisations ``request.user`` sees (``organisations``, else
    with their counts): the page and its export."""
    if organisations is None:
        organisations = selectors.organisation_list(user=request.user)
    # A registered count groups the query, which drops the model's default ordering: name it again.
    return OrganisationFilter(request.GET or None, queryset=organisations.order_by("name"))


@workspace_page()
def organisation_list(request):
    # Paged by ids first; the registered counts are computed for the page's rows alone.
    filterset = organisation_filterset(request, selectors.organisation_choices(user=request.user))
    return list_page(
        request,
        "partners/organisation_list.html",
        filterset.qs.values_list("pk", flat=True),
        name="organisations",
        prepare=lambda ids: _with_counts(selectors.organisation_page(ids, user=request.user)),
        columns=_organisation_columns(),
        filterset=filterset,
        can_add=request.user.has_perm(Perm.ADD_ORGANISATION),
    )


def _organisation_form_page(request, organisation=None):
    """The organisation's form, new (``organisation`` None) or edited; once saved, back to its page."""
    if organisation is None:
        save = partial(services.organisation_create, created_by=request.user)
        done = _("Partner %(name)s was added.")
    else:
        save = partial(services.organisation_update, organisation=organisation, updated_by=request.user)
        done = _("Partner %(name)s was saved.")
    return form_page(
        request,
        OrganisationForm(posted(request), instance=organisation),
        save,
        done=lambda saved: (done % {"name": saved}, reverse("partners:detail", args=[saved.pk])),
        template="partners/organisation_form.html",
        context={"organisation": organisation},
        refused=organisation.refresh_from_db if organisation is not None else None,
    )


@workspace_page(perm=Perm.ADD_ORGANISATION)
def organisation_create(request):
    return _organisation_form_page(request)


# The partner's page adds up every module's records with the partner: refreshed by the worker after a change
# (registered in ``apps.py``), and computed while its reader waits after their own (``cooperation.kept``).
PARTNER_HUB = "partners.organisation_detail"


def _hub_context(request, organisation) -> dict:
    user = request.user
    return {
        "organisation": organisation,
        "contacts": selectors.contact_list(user=user, organisation=organisation),
        "risk_flags": partner_risk_flags(organisation),
        "panels": registry.rendered_panels("partner.detail", request, organisation),
        "history": selectors.organisation_history(user=user, organisation=organisation)
        if user.has_perm(Perm.VIEW_HISTORY)
        else None,
        "can_change": user.has_perm(Perm.CHANGE_ORGANISATION),
        "can_add_contact": user.has_perm(Perm.ADD_CONTACT),
        "can_change_contact": user.has_perm(Perm.CHANGE_CONTACT),
    }


def partner_hub_body(request, pk) -> dict:
    """The body of organisation ``pk``'s page, as the reader of ``request`` may see it (404 otherwise)."""
    return _hub_context(request, selectors.organisation_get(user=request.user, pk=pk))


@workspace_page(object_page=True)
def organisation_detail(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    return render_refreshed(
        request, "partners/organisation_detail.html", PARTNER_HUB, context={"organisation": organisation}
    )


@workspace_page(object_page=True)
def organisation_edit(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_ORGANISATION)
    return _organisation_form_page(request, organisation)


def _contact_form_page(request, organisation, contact=None):
    """A contact's form, new (``contact`` None) or edited; once saved, back to the organisation's page."""
    if contact is None:
        save = partial(services.contact_create, organisation=organisation, created_by=request.user)
        done = _("The contact was added.")
    else:
        save = partial(services.contact_update, contact=contact, updated_by=request.user)
        done = _("The contact was saved.")
    return form_page(
        request,
        ContactForm(posted(request), instance=contact),
        save,
        done=lambda saved: (done, reverse("partners:detail", args=[organisation.pk])),
        template="partners/contact_form.html",
        context={"organisation": organisation, "contact": contact},
        refused=contact.refresh_from_db if contact is not None else None,
    )


@workspace_page(object_page=True)
def contact_create(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_CONTACT)
    return _contact_form_page(request, organisation)


@workspace_page(object_page=True)
def contact_edit(request, pk, contact_pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    contact = get_object_or_404(selectors.contact_list(user=request.user, organisation=organisation), pk=contact_pk)
    require_perm(request.user, Perm.CHANGE_CONTACT)
    return _contact_form_page(request, organisation, contact)
