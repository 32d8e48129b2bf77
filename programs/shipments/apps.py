from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.outbox.kinds import Kind


class ShipmentsConfig(registry.CooperationModuleConfig):
    name = "programs.shipments"
    verbose_name = _("In-kind cooperation")
    order = 40

    def ready(self) -> None:
        super().ready()
        from cooperation import autocomplete, kept
        from programs.shipments.views.detail import SHIPMENT_PAGE, shipment_page_body

        # A shipment's page is refreshed by the worker after a change: the worker must know it too.
        kept.refreshed_by_worker(SHIPMENT_PAGE, "shipments/_shipment_detail_body.html", shipment_page_body)

        autocomplete.register(
            "in-kind-programmes",
            "programs.shipments.filters.in_kind_programmes",
            search=("code", "title"),
            lookup=("code",),
        )
        registry.measure(
            "shipments.goods_received",
            _("Goods received in good condition (quantity, or value)"),
            ("number", "money"),
            "programs.shipments.measures.goods_received",
        )
        registry.panel(
            "programme.detail", "shipments/_programme_hub.html", "programs.shipments.panels.programme_hub", order=40
        )
        registry.panel(
            "partner.detail", "shipments/_partner_hub.html", "programs.shipments.panels.partner_hub", order=40
        )
        registry.contribute(registry.RISK, "programs.shipments.risk.partner_flags")
        registry.contribute(registry.INBOX, "programs.shipments.inbox.waiting_for")
        registry.contribute(registry.SEARCH, "programs.shipments.search.search")
        registry.contribute(registry.MONEY_FLOWS, "programs.shipments.flows.money_flows")
        registry.contribute(registry.BULK, "programs.shipments.bulk.generate")
        registry.export_source("shipments.shipments", "programs.shipments.exports.shipments")
        registry.export_source("shipments.items", "programs.shipments.exports.shipment_items")
        registry.export_source("shipments.discrepancies", "programs.shipments.exports.discrepancies")
        registry.export_source("shipments_portal.shipments", "programs.shipments.exports.portal_shipment_list")

    def outbox_kinds(self):
        from programs.shipments import expiry, reminders

        return (
            Kind(reminders.DISPATCH_NOTICE, _("Dispatch notice to the consignee")),
            Kind(reminders.DELAY_ALERT, _("Delay alert"), reminders.delay_alert_still_wanted),
            Kind(expiry.EXPIRY_ALERT, _("Goods near their expiry date"), expiry.expiry_alert_still_wanted),
        )
