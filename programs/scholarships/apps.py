from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "programs.scholarships"
    label = "scholarships"
    verbose_name = _("Technical and cultural cooperation")

    def ready(self) -> None:
        from cooperation import personal_data
        from programs.scholarships import selectors
        from programs.scholarships.models import Application, Attachment

        personal_data.register(Application, selectors.personal_data_condition)
        personal_data.register(Attachment, selectors.attachment_condition)
