"""The dashboard's budgets section: each programme's budget against what was committed and spent, the totals in the
reporting currency beside each currency's, and the budget lines spent past their budget. It narrows to the
dashboard's programmes, to the lines and amounts in its currency and to those of its period, and costs a fixed
number of queries however many programmes.

A national portfolio has hundreds of budgeted programmes and may have thousands of lines over budget: the page
shows those that most need attention (``SHOWN``) and says how many more there are; the dashboard's export has them
all.

Without a currency or a period the figures come from each programme's budget summary, kept current by the budgets
module: the fresh ones are summed, the stale or missing ones computed live for just those programmes, so the section
is always what the live computation gives; with a currency or a period they are all computed live (see
``programs.budgets.summaries``)."""

from cooperation.roles import Perm
from programs.budgets.selectors import dashboard_budget_overview
from programs.reporting.scope import DashboardScope, dashboard_scope

SHOWN = 10


def _attention(budget) -> tuple:
    """Most lines over budget first, then the highest burn rate, then by code."""
    burn_rate = budget.overall.burn_rate_reporting
    return (-len(budget.over_budget_lines), burn_rate is None, -(burn_rate or 0), budget.programme.code)


def budgets_section(*, user, scope: DashboardScope | None = None) -> dict | None:
    """The budgets section's context, or None for a user who may not read budgets."""
    if not user.has_perm(Perm.VIEW_BUDGET_LINE):
        return None
    scope = scope or dashboard_scope(user=user)
    overview = dashboard_budget_overview(
        user=user, programmes=scope.programme_ids, currency=scope.currency_code, period=scope.period
    )
    budgets, over_budget = overview.budgets, overview.over_budget_lines
    shown = budgets if len(budgets) <= SHOWN else sorted(budgets, key=_attention)[:SHOWN]
    overview.read_figures(shown)
    return {
        "overview": overview,
        "over_budget": over_budget,
        "shown_budgets": shown,
        "more_budgets": len(budgets) - len(shown),
        "shown_over_budget": over_budget[:SHOWN],
        "more_over_budget": max(len(over_budget) - SHOWN, 0),
        "narrowed_to": scope.narrowed_to(),
    }
