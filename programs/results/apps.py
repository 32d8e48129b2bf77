from django.utils.translation import gettext_lazy as _

from cooperation import registry


class ResultsConfig(registry.CooperationModuleConfig):
    name = "programs.results"
    verbose_name = _("Results")
    order = 60

    def outbox_kinds(self):
        from programs.results import reminders

        return reminders.KINDS

    def ready(self) -> None:
        super().ready()
        registry.follow("programme.dates_changed", "programs.results.services.periods.programme_dates_changed")
        registry.follow("organisation.renamed", "programs.results.services.reports.organisation_renamed")
        registry.panel(
            "programme.detail", "results/_programme_results.html", "programs.results.panels.programme_detail"
        )
        registry.panel("partner.detail", "results/_partner_hub.html", "programs.results.hub.partner_hub", order=60)
        registry.contribute(registry.RISK, "programs.results.hub.partner_flags")
        registry.contribute(registry.INBOX, "programs.results.hub.waiting_for")
        registry.export_source("results.awaiting_review", "programs.results.exports.awaiting_review")
        registry.export_source("results.overdue", "programs.results.exports.overdue")
        registry.export_source("results_portal.due", "programs.results.exports.portal_due")
        registry.export_source("results_portal.sent", "programs.results.exports.portal_sent")
        registry.contribute(registry.IATI, "programs.results.iati.parts")
        registry.contribute(registry.BULK, "programs.results.bulk.generate")
        registry.panel(
            "portal.programme", "results/portal/_programme_results.html", "programs.results.panels.portal_programme"
        )
