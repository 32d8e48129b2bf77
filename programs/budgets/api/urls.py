"""Budgets routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.budgets.api.views import BudgetLineViewSet, ExpenditureViewSet, ProgrammeBudgetViewSet

router = SimpleRouter(use_regex_path=False)
router.register("budget-lines", BudgetLineViewSet, basename="budget-line")
router.register("expenditures", ExpenditureViewSet, basename="expenditure")
router.register("programmes", ProgrammeBudgetViewSet, basename="programme")
