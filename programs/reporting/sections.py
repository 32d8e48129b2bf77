"""The dashboard's figures for a query string: its filter form, the scope the form asks for, and every section's
data. The page renders them and the export (``programs.reporting.exports``) writes them, so both show the same
figures, computed once, in the same fixed number of queries."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.reporting import selectors
from programs.reporting.budgets import budgets_section
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.finance import finance_dashboard
from programs.reporting.forms import DashboardFilterForm
from programs.reporting.results import results_section
from programs.reporting.scholarships import scholarships_dashboard
from programs.reporting.shipments import shipments_dashboard


def dashboard_sections(*, user, params) -> dict:
    """The dashboard for ``user`` narrowed by the filters in ``params`` (the page's ``GET``).

    An invalid value leaves the figures unfiltered; the bound form carries its error, shown next to the field."""
    today = timezone.localdate()
    filter_form = DashboardFilterForm(
        params or None,
        currencies=selectors.dashboard_currencies(user=user),
        countries=selectors.dashboard_countries(user=user),
        programmes=selectors.dashboard_programme_choices(user=user),
        today=today,
    )
    scope = filter_form.scope(user)
    total, by_form = selectors.programme_counts_by_form(user=user, scope=scope)
    by_status = selectors.programme_counts_by_status(user=user, scope=scope)
    by_country = selectors.programme_counts_by_country(user=user, scope=scope)
    return {
        "filter_form": filter_form,
        "scope": scope,
        "today": today,
        "narrowed_to": scope.narrowed_to(),
        "total": total,
        "charts": [
            _count_chart("forms", _("Programmes by form of cooperation"), _("Form"), by_form),
            _count_chart("status", _("Programmes by status"), _("Status"), by_status),
            _count_chart("countries", _("Programmes by recipient country"), _("Country"), by_country),
        ],
        "budgets": selectors.budget_totals_by_currency(user=user, scope=scope),
        "updates": selectors.latest_programme_updates(user=user, scope=scope),
        "finance": finance_dashboard(user=user, today=today, scope=scope),
        "shipments": shipments_dashboard(user=user, today=today, scope=scope),
        "scholarships": scholarships_dashboard(user=user, today=today, scope=scope),
        "results": results_section(user=user, today=today, scope=scope),
        "budget_actuals": budgets_section(user=user, scope=scope),
    }


def _count_chart(slug: str, title: str, category: str, rows):
    chart = horizontal_bar_chart(
        [ChartRow(str(row.label), row.count, intcomma(row.count)) for row in rows], slug=slug, title=title
    )
    return {"chart": chart, "category": category}
