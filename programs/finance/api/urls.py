"""Finance routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from programs.finance.api.views import (
    GrantViewSet,
    LoanViewSet,
    MoratoriumViewSet,
    RepaymentViewSet,
    RestructuringViewSet,
    TrancheViewSet,
)

router = SimpleRouter(use_regex_path=False)
router.register("loans", LoanViewSet, basename="loan")
router.register("repayments", RepaymentViewSet, basename="repayment")
router.register("restructurings", RestructuringViewSet, basename="restructuring")
router.register("moratoria", MoratoriumViewSet, basename="moratorium")
router.register("grants", GrantViewSet, basename="grant")
router.register("tranches", TrancheViewSet, basename="tranche")
