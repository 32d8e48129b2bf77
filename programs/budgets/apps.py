from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from cooperation import registry


class BudgetsConfig(AppConfig):
    name = "programs.budgets"
    label = "budgets"
    verbose_name = _("Budgets")

    def ready(self) -> None:
        registry.urls("budgets/", "programs.budgets.urls")
        registry.api_routes("programs.budgets.api.urls")
        registry.demo("programs.budgets.demo.load", order=70)
        registry.panel(
            "programme.detail", "budgets/_programme_budget.html", "programs.budgets.panels.programme_detail", order=70
        )
        registry.follow("money_flows.changed", "programs.budgets.summaries.money_flows_changed")
        registry.follow("exchange_rates.changed", "programs.budgets.summaries.exchange_rates_changed")
        registry.contribute(registry.RISK, "programs.budgets.risk.receipts_missing")
        registry.contribute(registry.IATI, "programs.budgets.iati.parts")
        registry.contribute(registry.BULK, "programs.budgets.bulk.generate")
        registry.export_source("budgets.lines", "programs.budgets.exports.lines")
        registry.export_source("budgets.expenditures", "programs.budgets.exports.expenditures")
