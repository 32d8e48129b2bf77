"""The manager dashboard as a file (see cooperation.exports): every table and chart of the page, a sheet each in
XLSX and one after another under their headings in CSV, narrowed by the page's filters.

The rows are the figures the page computes (``programs.reporting.sections``), so the file holds what the page
shows and costs the page's queries, however many programmes. Amounts are numbers with their currency code in a
column of its own, counts are whole numbers, rates are percentages ("12.5" for 12.5 %) under a "(%)" header."""

from django.utils.translation import gettext_lazy as _

from cooperation.access import require_perm
from cooperation.exports.tables import Workbook
from cooperation.roles import Perm
from programs.reporting.exports import modules, overview
from programs.reporting.sections import dashboard_sections


def dashboard(request) -> Workbook:
    """Everything the dashboard shows ``request.user`` for the filters in ``request.GET``; refused to anyone who
    may not open the dashboard."""
    require_perm(request.user, Perm.VIEW_DASHBOARD)
    sections = dashboard_sections(user=request.user, params=request.GET)
    tables = [
        overview.key_figures(sections),
        *overview.programme_tables(sections),
        *overview.finance_tables(sections["finance"]),
        *overview.shipment_tables(sections["shipments"]),
        *modules.scholarship_tables(sections["scholarships"]),
        *modules.results_tables(sections["results"]),
        *modules.budget_tables(sections["budget_actuals"]),
        overview.updates_table(sections["updates"]),
    ]
    return Workbook("dashboard", tables, _("Dashboard"))
