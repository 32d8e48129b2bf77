from django.utils.translation import gettext_lazy as _

from cooperation import registry
from cooperation.outbox.kinds import Kind


class FinanceConfig(registry.CooperationModuleConfig):
    name = "programs.finance"
    verbose_name = _("Financial cooperation")
    order = 30
    portal_home = "finance/portal/_home_link.html"

    def ready(self) -> None:
        super().ready()
        from cooperation import autocomplete, kept
        from programs.finance.views.loans import LOAN_PAGE, loan_page_body

        # A loan's page is refreshed by the worker after a change: the worker must know it too.
        kept.refreshed_by_worker(LOAN_PAGE, "finance/_loan_detail_body.html", loan_page_body)

        autocomplete.register(
            "financial-programmes",
            "programs.finance.filters.financial_programme_choices",
            search=("code", "title"),
            lookup=("code",),
        )
        registry.panel(
            "programme.detail", "finance/_programme_hub.html", "programs.finance.panels.programme_hub", order=30
        )
        registry.panel("partner.detail", "finance/_partner_hub.html", "programs.finance.panels.partner_hub", order=30)
        for owner in ("organisation", "programme"):
            registry.follow(f"{owner}.dac_category_changed", f"programs.finance.services.dac.{owner}_category_changed")
        registry.contribute(registry.RISK, "programs.finance.risk.partner_flags")
        registry.contribute(registry.INBOX, "programs.finance.inbox.waiting_for")
        registry.contribute(registry.SEARCH, "programs.finance.search.search")
        registry.contribute(registry.MONEY_FLOWS, "programs.finance.flows.money_flows")
        registry.contribute(registry.BULK, "programs.finance.bulk.generate")
        registry.export_source("finance.loans", "programs.finance.exports.loans")
        registry.export_source("finance.repayments", "programs.finance.exports.repayments")
        registry.export_source("finance.grants", "programs.finance.exports.grants")
        registry.export_source("finance.tranches", "programs.finance.exports.tranches")
        registry.export_source("finance_portal.loans", "programs.finance.exports.portal_loans")
        registry.export_source("finance_portal.grants", "programs.finance.exports.portal_grants")
        registry.contribute(registry.IATI, "programs.finance.iati.parts")
        registry.measure(
            "finance.loans_disbursed",
            _("Loans disbursed (principal, or number of loans)"),
            ("money", "number"),
            "programs.finance.measures.loans_disbursed",
        )
        registry.measure(
            "finance.repayments_received",
            _("Loan repayments received"),
            ("money",),
            "programs.finance.measures.repayments_received",
        )
        registry.measure(
            "finance.tranches_paid", _("Grant tranches paid"), ("money",), "programs.finance.measures.tranches_paid"
        )

    def outbox_kinds(self):
        from programs.finance import reminders

        return (
            Kind(reminders.REMINDER, _("Loan reminder"), reminders.reminder_still_wanted),
            Kind(reminders.REMINDER_COPY, _("Loan reminder (officer's copy)"), reminders.reminder_still_wanted),
            Kind(reminders.DIGEST, _("Overdue digest to managers")),
        )
