from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipmentsConfig(AppConfig):
    name = "programs.shipments"
    label = "shipments"
    verbose_name = _("In-kind cooperation")

    def ready(self) -> None:
        from cooperation import registry

        registry.demo("programs.shipments.demo.load", order=40)
        registry.panel(
            "portal.home", "shipments/portal/_home_block.html", "programs.shipments.panels.portal_home", order=40
        )
        registry.urls("shipments/", "programs.shipments.urls")
        registry.urls("portal/shipments/", "programs.shipments.portal_urls")
        registry.api_routes("programs.shipments.api.urls")

        from cooperation.outbox.kinds import register_kind
        from programs.shipments import reminders

        register_kind(reminders.DISPATCH_NOTICE, label=_("Dispatch notice to the consignee"))
        register_kind(reminders.DELAY_ALERT, label=_("Delay alert"), still_wanted=reminders.delay_alert_still_wanted)
