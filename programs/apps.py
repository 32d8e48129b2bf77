from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from cooperation import autocomplete, kept, registry
        from programs.views import PROGRAMME_HUB, programme_hub_body

        autocomplete.register(
            "programmes", "programs.selectors.programme_choices", search=("code", "title"), lookup=("code",)
        )

        registry.demo("programs.demo.load", order=20)
        registry.panel(
            "partner.detail", "programs/_partner_programmes.html", "programs.panels.partner_detail", order=10
        )

        from partners import contributions

        contributions.organisation_count("programme_count", _("Programmes"), "participations")

        # The programme's page is refreshed by the worker after a change: the worker must know it too.
        kept.refreshed_by_worker(PROGRAMME_HUB, "programs/_programme_detail_body.html", programme_hub_body)
        registry.urls("programmes/", "programs.urls")
        registry.urls("portal/", "programs.portal.urls")
        registry.api_routes("programs.api.urls")
        registry.contribute(registry.SEARCH, "programs.search.search")
        registry.contribute(registry.BULK, "programs.bulk.generate")
        registry.export_source("programs.programmes", "programs.exports.programmes")
        registry.contribute(registry.IATI, "programs.iati.parts")
        registry.measure(
            "programs.partners_engaged",
            _("Partner organisations taking part"),
            ("number",),
            "programs.measures.partners_engaged",
        )

        from cooperation.outbox.kinds import register_kind
        from programs import emails

        register_kind(emails.UPDATE_POSTED, label=_("Progress update to the responsible officer"))
        register_kind(emails.UPDATES_DIGEST, label=_("Programme updates digest to managers"))
