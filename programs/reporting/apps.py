from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "programs.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from cooperation import registry

        registry.urls("dashboard/", "programs.reporting.urls")
        registry.export_source("reporting.dashboard", "programs.reporting.exports.dashboard")
