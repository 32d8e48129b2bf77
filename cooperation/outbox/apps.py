from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    """The app keeps the label it was first migrated under, "core": its table and migrations carry it."""

    name = "cooperation.outbox"
    label = "core"
    verbose_name = _("Outbox")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cooperation.outbox import kinds

        kinds.register_password_reset()
