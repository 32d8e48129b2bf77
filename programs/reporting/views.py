"""Manager dashboard and programme export."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cooperation.access import require_perm
from cooperation.exports.views import export
from cooperation.roles import Perm
from programs.filters import ProgrammeFilter
from programs.reporting import selectors
from programs.reporting.budgets import budgets_section
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.finance import finance_dashboard
from programs.reporting.forms import DashboardFilterForm
from programs.reporting.results import results_section
from programs.reporting.scholarships import scholarships_dashboard
from programs.reporting.scope import DashboardScope
from programs.reporting.shipments import shipments_dashboard
from programs.selectors import programme_list


@require_GET
@login_required
def dashboard(request):
    require_perm(request.user, Perm.VIEW_DASHBOARD)
    user = request.user
    today = timezone.localdate()
    filter_form = DashboardFilterForm(
        request.GET or None,
        currencies=selectors.dashboard_currencies(user=user),
        countries=selectors.dashboard_countries(user=user),
        programmes=selectors.dashboard_programme_choices(user=user),
        today=today,
    )
    # An invalid value is shown next to its field and the figures stay unfiltered.
    scope = filter_form.scope(user)
    total, by_form = selectors.programme_counts_by_form(user=user, scope=scope)
    by_status = selectors.programme_counts_by_status(user=user, scope=scope)
    by_country = selectors.programme_counts_by_country(user=user, scope=scope)
    context = {
        "filter_form": filter_form,
        "scope": scope,
        "narrowed_to": scope.narrowed_to(),
        "total": total,
        "charts": [
            _count_chart("forms", _("Programmes by form of cooperation"), _("Form"), by_form),
            _count_chart("status", _("Programmes by status"), _("Status"), by_status),
            _count_chart("countries", _("Programmes by recipient country"), _("Country"), by_country),
        ],
        "budgets": selectors.budget_totals_by_currency(user=user, scope=scope),
        "updates": selectors.latest_programme_updates(user=user, scope=scope),
        "export_url": _export_url(scope),
        "finance": finance_dashboard(user=user, today=today, scope=scope),
        "shipments": shipments_dashboard(user=user, today=today, scope=scope),
        "scholarships": scholarships_dashboard(user=user, today=today, scope=scope),
        "results": results_section(user=user, today=today, scope=scope),
        "budget_actuals": budgets_section(user=user, scope=scope),
    }
    return render(request, "reporting/dashboard.html", context)


def _count_chart(slug: str, title: str, category: str, rows):
    chart = horizontal_bar_chart(
        [ChartRow(str(row.label), row.count, intcomma(row.count)) for row in rows], slug=slug, title=title
    )
    return {"chart": chart, "category": category}


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
