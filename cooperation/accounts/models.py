"""API tokens that end, and the record of what changed an account's security."""

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.fields import happened_at, user_link


def key_digest(key: str) -> str:
    """What is stored of a token's key: its SHA-256. A key is 256 random bits, so no slow hash is needed."""
    return hashlib.sha256(key.encode()).hexdigest()


class RevokeReason(models.TextChoices):
    OWNER = "owner", _("revoked by its owner")
    LOGOUT = "logout", _("logged out")
    PASSWORD = "password", _("password changed")
    ADMINISTRATOR = "administrator", _("revoked by an administrator")
    TOO_MANY = "too_many", _("replaced by newer tokens")


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    """One API credential of a user; only the key's digest is kept, the key itself is shown once."""

    user = user_link(_("user"), related_name="api_tokens", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key begins with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = happened_at(_("revoked"))
    revoked_reason = models.CharField(_("why revoked"), max_length=20, choices=RevokeReason.choices, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at", "expires_at"], name="apitoken_user_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class SecurityEvent(models.Model):
    """Something that changed how an account proves who it is: kept for the account's owner and for audit."""

    class Kind(models.TextChoices):
        TWO_FACTOR_ON = "two_factor_on", _("two-factor login turned on")
        TWO_FACTOR_OFF = "two_factor_off", _("two-factor login turned off")
        TWO_FACTOR_RESET = "two_factor_reset", _("two-factor login reset by an administrator")
        RECOVERY_CODES = "recovery_codes", _("new recovery codes generated")
        RECOVERY_CODE_USED = "recovery_code_used", _("a recovery code was used to log in")
        TOKENS_REVOKED = "tokens_revoked", _("API tokens revoked")

    user = user_link(_("account"), related_name="security_events", on_delete=models.CASCADE)
    kind = models.CharField(_("what"), max_length=30, choices=Kind.choices)
    by = user_link(_("by"), optional=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        permissions = [("reset_two_factor", _("Can reset another user's two-factor login"))]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user})"
