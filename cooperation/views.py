from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation import inbox
from cooperation import search as search_module
from cooperation.pages import workspace_page
from cooperation.roles import Perm


@login_required
def home(request):
    """Send each user to their front door."""
    user = request.user
    if user.has_perm(Perm.VIEW_DASHBOARD):
        return redirect("reporting:dashboard")
    if user.has_perm(Perm.ACCESS_WORKSPACE):
        return redirect("programs:list")
    if user.has_perm(Perm.ACCESS_PORTAL):
        return redirect("portal:home")
    if user.is_staff:
        return redirect("admin:index")
    return redirect("account:profile")


@require_GET
@login_required
def waiting(request):
    """ "Waiting for me": what each module has for this user to act on, grouped by kind of move."""
    user = request.user
    if not (user.has_perm(Perm.ACCESS_WORKSPACE) or user.has_perm(Perm.ACCESS_PORTAL)):
        raise PermissionDenied(_("You do not have permission to do this."))
    return render(request, "cooperation/waiting.html", {"groups": inbox.waiting_for(user)})


@require_GET
@login_required
def waiting_count(request):
    """The navigation's count, fetched after the page has loaded so no page pays for it."""
    user = request.user
    if not (user.has_perm(Perm.ACCESS_WORKSPACE) or user.has_perm(Perm.ACCESS_PORTAL)):
        raise PermissionDenied(_("You do not have permission to do this."))
    response = JsonResponse({"count": inbox.waiting_count(user)})
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@workspace_page()
def search(request):
    """One search box over what the user may see, results grouped by kind."""
    query = search_module.cleaned(request.GET.get("q", ""))
    groups = search_module.search(request.user, query) if query else []
    return render(request, "cooperation/search.html", {"query": query, "groups": groups})
