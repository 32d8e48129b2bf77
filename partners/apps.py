from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from cooperation import autocomplete, kept, registry
        from partners.views import PARTNER_HUB, partner_hub_body

        autocomplete.register(
            "partners",
            "partners.selectors.organisation_choices",
            search=("name", "acronym", "iati_identifier"),
            lookup=("name", "acronym", "iati_identifier"),
        )

        registry.demo("partners.demo.load", order=10)
        # The partner's page is refreshed by the worker after a change: the worker must know it too.
        kept.refreshed_by_worker(PARTNER_HUB, "partners/_organisation_detail_body.html", partner_hub_body)
        registry.urls("partners/", "partners.urls")
        registry.api_routes("partners.api.urls")
        registry.contribute(registry.SEARCH, "partners.search.search")
        registry.contribute(registry.BULK, "partners.bulk.generate")
        registry.export_source("partners.organisations", "partners.exports.organisations")
