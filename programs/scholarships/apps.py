from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "programs.scholarships"
    label = "scholarships"
    verbose_name = _("Technical and cultural cooperation")

    def ready(self) -> None:
        from cooperation import personal_data, registry
        from cooperation.outbox.kinds import Kind
        from programs.scholarships import reminders, selectors
        from programs.scholarships.models import Application, Attachment

        registry.cooperation_module(
            self.name,
            "scholarships/",
            order=50,
            portal_home="scholarships/portal/_home_block.html",
            outbox_kinds=(
                Kind(reminders.REPORT_DUE, _("Progress report reminder"), reminders.report_reminder_still_wanted),
                Kind(reminders.STIPEND_DUE, _("Stipend tranche reminder"), reminders.stipend_reminder_still_wanted),
            ),
        )
        personal_data.register(Application, selectors.personal_data_condition)
        personal_data.register(Attachment, selectors.attachment_condition)
