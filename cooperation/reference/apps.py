from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cooperation import registry


class ReferenceConfig(AppConfig):
    name = "cooperation.reference"
    label = "reference"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        # Exchange rates: the officers' pages and the API (the reference tables themselves live in the admin).
        registry.urls("rates/", "cooperation.reference.urls")
        registry.api_routes("cooperation.reference.api.urls")
        registry.export_source("reference.exchange_rates", "cooperation.reference.exports.exchange_rates")
        # Before the modules' money events, so their totals find rates.
        registry.demo("cooperation.reference.demo.load", order=15)
