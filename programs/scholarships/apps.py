from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScholarshipsConfig(AppConfig):
    name = "programs.scholarships"
    label = "scholarships"
    verbose_name = _("Technical and cultural cooperation")
