from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperation")

    def ready(self) -> None:
        from django.core import checks
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from cooperation import changes
        from cooperation.admin import check_personal_data
        from cooperation.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate)
        connection_created.connect(changes.watch, dispatch_uid="cooperation.changes.watch")
        checks.register(check_personal_data, checks.Tags.admin)
