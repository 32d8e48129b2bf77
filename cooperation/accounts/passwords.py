"""A new password ends every API token of the account, however it was set.

Django calls ``password_changed`` on each configured password validator whenever a
user saved after ``set_password`` (the change form, the reset link, the admin,
``manage.py changepassword``): the one place that sees every way a password changes.
"""

from django.utils.translation import gettext as _

from cooperation.accounts.models import RevokeReason


class RevokeApiTokensOnPasswordChange:
    def validate(self, password, user=None) -> None:
        """Accepts every password: this entry exists for its ``password_changed`` hook."""

    def password_changed(self, password, user=None) -> None:
        from cooperation.accounts.services import api_tokens_revoke_all

        if user is not None and user.pk is not None:
            api_tokens_revoke_all(user=user, reason=RevokeReason.PASSWORD)

    def get_help_text(self) -> str:
        return _("A new password ends all your API tokens.")
