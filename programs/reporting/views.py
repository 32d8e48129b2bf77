"""Manager dashboard and programme export."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation import registry
from cooperation.access import require_perm
from cooperation.exports.views import export
from cooperation.kept import render_refreshed
from cooperation.roles import Perm
from programs.filters import ProgrammeFilter
from programs.reporting.scope import DashboardScope
from programs.reporting.sections import dashboard_sections
from programs.selectors import programme_list


@require_GET
@login_required
def dashboard(request):
    require_perm(request.user, Perm.VIEW_DASHBOARD)
    # Computed once for each state of the data; after a change, shown as last computed (saying when) while the
    # worker adds the change (see cooperation.kept.render_refreshed).
    return render_refreshed(request, "reporting/dashboard.html", DASHBOARD)


DASHBOARD = "reporting.dashboard"


def dashboard_body(request) -> dict:
    """The dashboard body's context for ``request``: its figures narrowed by the query's filters, and what modules
    add to it through the registry, narrowed to the same scope."""
    context = dashboard_sections(user=request.user, params=request.GET)
    context["panels"] = registry.rendered_panels("dashboard", request, context["scope"])
    context["export_url"] = _export_url(context["scope"])
    return context


def _export_url(scope: DashboardScope) -> str:
    """The programme export with the filters it shares with the programme figures (same parameter names, same
    meaning); it has no filter for one programme by code."""
    query = {}
    if scope.status is not None:
        query["status"] = scope.status
    if scope.currency is not None:
        query["currency"] = scope.currency.code
    if scope.country is not None:
        query["country"] = scope.country.code
    if scope.form is not None:
        query["form"] = scope.form
    if scope.objective is not None:
        query["objective"] = scope.objective
    if scope.period is not None and scope.period.start is not None:
        query["ends_from"] = scope.period.start.isoformat()
    if scope.period is not None and scope.period.end is not None:
        query["starts_until"] = scope.period.end.isoformat()
    url = reverse("reporting:programmes_csv")
    return f"{url}?{urlencode(query)}" if query else url


@require_GET
@login_required
def programmes_csv(request):
    """The dashboard's "Export CSV": the programme list's export, for those who may export reports; a filter the
    dashboard cannot apply is refused with its reason rather than silently dropped."""
    require_perm(request.user, Perm.EXPORT_DATA)
    programme_filter = ProgrammeFilter(request.GET, queryset=programme_list(user=request.user), request=request)
    if not programme_filter.is_valid():
        errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in programme_filter.errors.items())
        message = _("The export filter is not valid: %(errors)s") % {"errors": errors}
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return export(request, "programs.programmes", "csv")
