from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "programs.scholarships"
    label = "scholarships"
    verbose_name = _("Technical and cultural cooperation")

    def ready(self) -> None:
        from core.outbox.kinds import register_kind
        from programs.scholarships import reminders

        register_kind(
            reminders.REPORT_DUE,
            label=_("Progress report reminder"),
            still_wanted=reminders.report_reminder_still_wanted,
        )
        register_kind(
            reminders.STIPEND_DUE,
            label=_("Stipend tranche reminder"),
            still_wanted=reminders.stipend_reminder_still_wanted,
        )
