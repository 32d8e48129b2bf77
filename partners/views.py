"""Officer workspace pages for partner organisations and their contacts."""

from dataclasses import dataclass
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.roles import Perm
from partners import selectors, services
from partners.filters import OrganisationFilter
from partners.forms import ContactForm, OrganisationForm

PAGE_SIZE = 25


# --- Shared by the workspace pages of every app ----------------------------------------------------


def workspace_page(*, object_page: bool = False):
    """Require login and the workspace permission.

    Without the permission a list or form page answers 403, but a page about one
    record answers 404, so partner users never learn whether an id exists.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(Perm.ACCESS_WORKSPACE):
                if object_page:
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class Column:
    """A table column; ``sort`` is its value for the filter's ``ordering`` parameter, if sortable."""

    label: str
    sort: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class HeaderCell:
    label: str
    numeric: bool
    sort_value: str  # the ordering a click asks for; empty when not sortable
    direction: str  # "ascending", "descending" or "" (for aria-sort)


def header_cells(columns: list[Column], current: str) -> list[HeaderCell]:
    """Column headers that sort by their column; clicking the sorted column again reverses it."""
    cells = []
    for column in columns:
        direction = ""
        sort_value = column.sort
        if column.sort and current == column.sort:
            direction, sort_value = "ascending", f"-{column.sort}"
        elif column.sort and current == f"-{column.sort}":
            direction = "descending"
        cells.append(HeaderCell(str(column.label), column.numeric, sort_value, direction))
    return cells


def posted(request):
    """Form data for a POST (even an empty one, so it is validated), None for a GET."""
    return request.POST if request.method == "POST" else None


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Partner pages ---------------------------------------------------------------------------------

ORGANISATION_COLUMNS = [
    Column(gettext_lazy("Name"), "name"),
    Column(gettext_lazy("Acronym"), "acronym"),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Country"), "country"),
    Column(gettext_lazy("Programmes"), numeric=True),
    Column(gettext_lazy("Active")),
]


@workspace_page()
def organisation_list(request):
    # The programme count groups the query, which drops the model's default ordering: name it again.
    organisations = selectors.organisation_list(user=request.user).order_by("name")
    filterset = OrganisationFilter(request.GET or None, queryset=organisations)
    page_obj = paginate(request, filterset.qs)
    return render(
        request,
        "partners/organisation_list.html",
        {
            "filterset": filterset,
            "page_obj": page_obj,
            "organisations": page_obj.object_list,
            "columns": header_cells(ORGANISATION_COLUMNS, request.GET.get("ordering", "")),
            "can_add": request.user.has_perm(Perm.ADD_ORGANISATION),
        },
    )


@workspace_page()
def organisation_create(request):
    require_perm(request.user, Perm.ADD_ORGANISATION)
    form = OrganisationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
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
            "participations": selectors.organisation_participations(user=user, organisation=organisation),
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
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, updated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
            organisation.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, _("Partner %(name)s was saved.") % {"name": organisation})
            return redirect("partners:detail", pk=organisation.pk)
    return render(request, "partners/organisation_form.html", {"form": form, "organisation": organisation})


@workspace_page(object_page=True)
def contact_create(request, pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.ADD_CONTACT)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_create(organisation=organisation, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("partners:detail", pk=organisation.pk)
    return render(
        request, "partners/contact_form.html", {"form": form, "organisation": organisation, "contact": None}
    )


@workspace_page(object_page=True)
def contact_edit(request, pk, contact_pk):
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    contact = get_object_or_404(selectors.contact_list(user=request.user, organisation=organisation), pk=contact_pk)
    require_perm(request.user, Perm.CHANGE_CONTACT)
    form = ContactForm(posted(request), instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, updated_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
            contact.refresh_from_db()
        else:
            messages.success(request, _("The contact was saved."))
            return redirect("partners:detail", pk=organisation.pk)
    return render(
        request, "partners/contact_form.html", {"form": form, "organisation": organisation, "contact": contact}
    )
