"""The dashboard's budgets section: each programme's budget against what was committed and spent, the totals in the
reporting currency beside each currency's, and the budget lines spent past their budget. It narrows to the
dashboard's programmes, to the lines and amounts in its currency and to those of its period, and costs a fixed
number of queries however many programmes."""

from cooperation.roles import Perm
from programs.budgets.selectors import dashboard_budgets
from programs.reporting.scope import DashboardScope, dashboard_scope


def budgets_section(*, user, scope: DashboardScope | None = None) -> dict | None:
    """The budgets section's context, or None for a user who may not read budgets."""
    if not user.has_perm(Perm.VIEW_BUDGET_LINE):
        return None
    scope = scope or dashboard_scope(user=user)
    overview = dashboard_budgets(
        user=user, programmes=scope.programme_ids, currency=scope.currency_code, period=scope.period
    )
    return {"overview": overview, "over_budget": overview.over_budget_lines, "narrowed_to": scope.narrowed_to()}
