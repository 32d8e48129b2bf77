"""Exchange-rate routes of the REST API, mounted under /api/v1/ through the registry."""

from rest_framework.routers import SimpleRouter

from cooperation.reference.api.views import ExchangeRateViewSet

router = SimpleRouter(use_regex_path=False)
router.register("exchange-rates", ExchangeRateViewSet, basename="exchange-rate")
