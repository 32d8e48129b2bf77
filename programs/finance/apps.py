from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "programs.finance"
    label = "finance"
    verbose_name = _("Financial cooperation")

    def ready(self) -> None:
        from cooperation import registry
        from cooperation.outbox.kinds import Kind
        from programs.finance import reminders

        registry.cooperation_module(
            self.name,
            "finance/",
            order=30,
            portal_home="finance/portal/_home_link.html",
            outbox_kinds=(
                Kind(reminders.REMINDER, _("Loan reminder"), reminders.reminder_still_wanted),
                Kind(reminders.REMINDER_COPY, _("Loan reminder (officer's copy)"), reminders.reminder_still_wanted),
                Kind(reminders.DIGEST, _("Overdue digest to managers")),
            ),
        )
