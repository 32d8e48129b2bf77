from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "programs.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from cooperation import kept, registry
        from programs.reporting.views import DASHBOARD, dashboard_body

        registry.urls("dashboard/", "programs.reporting.urls")
        registry.export_source("reporting.dashboard", "programs.reporting.exports.dashboard")
        # The dashboard is refreshed by the worker after a change: the worker must know it too.
        kept.refreshed_by_worker(DASHBOARD, "reporting/_dashboard_body.html", dashboard_body)
