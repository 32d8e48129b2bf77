from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShipmentsConfig(AppConfig):
    name = "programs.shipments"
    label = "shipments"
    verbose_name = _("In-kind cooperation")

    def ready(self) -> None:
        from cooperation import registry
        from cooperation.outbox.kinds import Kind
        from programs.shipments import reminders

        registry.cooperation_module(
            self.name,
            "shipments/",
            order=40,
            portal_home="shipments/portal/_home_block.html",
            outbox_kinds=(
                Kind(reminders.DISPATCH_NOTICE, _("Dispatch notice to the consignee")),
                Kind(reminders.DELAY_ALERT, _("Delay alert"), reminders.delay_alert_still_wanted),
            ),
        )
