from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

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
