"""Partner portal: a partner's programmes, their progress notes, and posting a new one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperation import registry
from cooperation.risk import partner_risk_flags
from cooperation.roles import Perm
from programs.forms import ProgrammeUpdateForm
from programs.portal.access import portal_page
from programs.portal.selectors import attach_own_participations, portal_organisations, portal_programme_list
from programs.selectors import programme_get, programme_updates
from programs.services import programme_update_post

PROGRAMMES_PER_PAGE = 25
UPDATES_PER_PAGE = 20


@portal_page()
def home(request):
    page = Paginator(portal_programme_list(user=request.user), PROGRAMMES_PER_PAGE).get_page(request.GET.get("page"))
    organisations = list(portal_organisations(user=request.user))
    context = {
        "organisations": organisations,
        "risk": [
            (organisation, flags) for organisation in organisations if (flags := partner_risk_flags(organisation))
        ],
        "programmes": attach_own_participations(page.object_list, user=request.user),
        "page_obj": page,
        "panels": registry.rendered_panels("portal.home", request),
    }
    return render(request, "portal/home.html", context)


@portal_page()
def programme_detail(request, pk):
    programme = programme_get(user=request.user, pk=pk)
    return _render_programme(request, programme, ProgrammeUpdateForm())


@portal_page(perm=Perm.ADD_PROGRAMME_UPDATE, methods=("POST",))
def post_update(request, pk):
    # Fetch through the selector first: another organisation's programme is a 404 before any input is read.
    programme = programme_get(user=request.user, pk=pk)
    form = ProgrammeUpdateForm(request.POST)
    if form.is_valid():
        try:
            programme_update_post(programme=programme, author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your update was posted."))
            return redirect("portal:programme", pk=programme.pk)
    return _render_programme(request, programme, form)


def _render_programme(request, programme, form):
    updates = programme_updates(user=request.user, programme=programme)
    page = Paginator(updates, UPDATES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "programme": attach_own_participations([programme], user=request.user)[0],
        "participations": programme.participations.all(),
        "page_obj": page,
        "updates": page.object_list,
        "form": form,
        "can_post": request.user.has_perm(Perm.ADD_PROGRAMME_UPDATE),
        "panels": registry.rendered_panels("portal.programme", request, programme),
    }
    return render(request, "portal/programme.html", context)


def _add_service_errors(form, error: ValidationError) -> None:
    """Put a service's validation errors next to the matching field, the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
