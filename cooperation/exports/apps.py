from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "cooperation.exports"
    label = "exports"
    verbose_name = _("Exports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cooperation.exports import jobs, scheduled
        from cooperation.outbox.kinds import register_kind

        register_kind(jobs.EXPORT_READY, label=_("Export ready to download"))
        register_kind(scheduled.SCHEDULED_REPORT, label=_("Scheduled report"))
