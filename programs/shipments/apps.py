from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.outbox.kinds import Kind


class ShipmentsConfig(registry.CooperationModuleConfig):
    name = "programs.shipments"
    verbose_name = _("In-kind cooperation")
    order = 40

    def outbox_kinds(self):
        from programs.shipments import reminders

        return (
            Kind(reminders.DISPATCH_NOTICE, _("Dispatch notice to the consignee")),
            Kind(reminders.DELAY_ALERT, _("Delay alert"), reminders.delay_alert_still_wanted),
        )
