from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_migrate

        from cooperation.admin import check_personal_data
        from cooperation.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate)
        checks.register(check_personal_data, checks.Tags.admin)
