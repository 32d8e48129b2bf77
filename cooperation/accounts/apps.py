from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cooperation.accounts"
    label = "accounts"
    verbose_name = _("Accounts and security")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from cooperation.accounts import signals

        user_logged_in.connect(signals.session_started, dispatch_uid="kerjasama-session-started")
        user_logged_out.connect(signals.session_ended, dispatch_uid="kerjasama-session-ended")
