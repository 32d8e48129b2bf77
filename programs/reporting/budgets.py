"""The dashboard's budgets section: each programme's budget against what was committed and spent, the totals in the
reporting currency beside each currency's, and the budget lines spent past their budget. It narrows with the
dashboard's filters, like the programme figures, and costs a fixed number of queries however many programmes."""

from cooperation.roles import Perm
from programs.budgets.selectors import dashboard_budgets
from programs.reporting.selectors import dashboard_programmes


def budgets_section(*, user, **scope) -> dict | None:
    """The budgets section's context, or None for a user who may not read budgets."""
    if not user.has_perm(Perm.VIEW_BUDGET_LINE):
        return None
    overview = dashboard_budgets(user=user, programmes=dashboard_programmes(user=user, **scope))
    return {"overview": overview, "over_budget": overview.over_budget_lines}
