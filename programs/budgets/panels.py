"""What the budgets show on other pages, registered in ``apps.py``."""

from django.urls import reverse

from cooperation.roles import Perm
from programs.budgets import selectors


def programme_detail(request, programme):
    """The programme page's Budget panel: each line and period against its actuals, in the line's currency and in
    the reporting currency; a fixed number of queries however many loans, tranches or expenditures. None for those
    who may not read budgets."""
    user = request.user
    if not user.has_perm(Perm.VIEW_BUDGET_LINE):
        return None
    return {
        "programme": programme,
        "budget": selectors.programme_budget(user=user, programme=programme),
        "budget_url": reverse("budgets:programme", args=[programme.pk]),
        "add_line_url": reverse("budgets:line_create", args=[programme.pk])
        if user.has_perm(Perm.ADD_BUDGET_LINE)
        else "",
        "add_expenditure_url": reverse("budgets:expenditure_create", args=[programme.pk])
        if user.has_perm(Perm.ADD_EXPENDITURE)
        else "",
    }
