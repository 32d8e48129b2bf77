from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.outbox.kinds import Kind


class ShipmentsConfig(registry.CooperationModuleConfig):
    name = "programs.shipments"
    verbose_name = _("In-kind cooperation")
    order = 40

    def ready(self) -> None:
        super().ready()
        registry.measure(
            "shipments.goods_received",
            _("Goods received in good condition (quantity, or value)"),
            ("number", "money"),
            "programs.shipments.measures.goods_received",
        )

    def outbox_kinds(self):
        from programs.shipments import reminders

        return (
            Kind(reminders.DISPATCH_NOTICE, _("Dispatch notice to the consignee")),
            Kind(reminders.DELAY_ALERT, _("Delay alert"), reminders.delay_alert_still_wanted),
        )
