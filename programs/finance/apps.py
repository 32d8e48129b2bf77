from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "programs.finance"
    label = "finance"
    verbose_name = _("Financial cooperation")

    def ready(self) -> None:
        from cooperation import registry

        registry.demo("programs.finance.demo.load", order=30)
        registry.panel("portal.home", "finance/portal/_home_link.html", "programs.finance.panels.portal_home", order=30)
        registry.urls("finance/", "programs.finance.urls")
        registry.urls("portal/finance/", "programs.finance.portal_urls")
        registry.api_routes("programs.finance.api.urls")

        from cooperation.outbox.kinds import register_kind
        from programs.finance import reminders

        register_kind(reminders.REMINDER, label=_("Loan reminder"), still_wanted=reminders.reminder_still_wanted)
        register_kind(
            reminders.REMINDER_COPY,
            label=_("Loan reminder (officer's copy)"),
            still_wanted=reminders.reminder_still_wanted,
        )
        register_kind(reminders.DIGEST, label=_("Overdue digest to managers"))
