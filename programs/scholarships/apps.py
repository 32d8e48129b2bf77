from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "programs.scholarships"
    label = "scholarships"
    verbose_name = _("Technical and cultural cooperation")

    def ready(self) -> None:
        from cooperation import registry

        registry.demo("programs.scholarships.demo.load", order=50)
        registry.panel(
            "portal.home", "scholarships/portal/_home_block.html", "programs.scholarships.panels.portal_home", order=50
        )
        registry.urls("scholarships/", "programs.scholarships.urls")
        registry.urls("portal/scholarships/", "programs.scholarships.portal_urls")
        registry.api_routes("programs.scholarships.api.urls")

        from cooperation import personal_data
        from cooperation.outbox.kinds import register_kind
        from programs.scholarships import reminders, selectors
        from programs.scholarships.models import Application, Attachment

        personal_data.register(Application, selectors.personal_data_condition)
        personal_data.register(Attachment, selectors.attachment_condition)

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
