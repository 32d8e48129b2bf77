"""Cross-cutting models: timestamps, and the holder of role-level permissions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SentLog(models.Model):
    """The record that something was sent once (a reminder, an alert): its unique key lets only one run claim it.

    Its emails are outbox rows about the log row (their state is there, not here).
    """

    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Access(models.Model):
    """No table: carries the permissions that belong to a role rather than to one model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("access_workspace", _("Can use the officer workspace")),
            ("access_portal", _("Can use the partner portal")),
            ("view_dashboard", _("Can see the manager dashboard")),
            ("view_history", _("Can see the change history of records")),
            ("export_data", _("Can export data")),
        ]

    def __str__(self) -> str:
        return "access"


def assign_fields(instance: models.Model, fields, data: dict) -> list[str]:
    """Set the given fields from ``data`` and return the names of those that changed."""
    from django.core.exceptions import ObjectDoesNotExist

    changed = []
    for field in fields:
        if field not in data:
            continue
        try:
            current = getattr(instance, field)
        except ObjectDoesNotExist:  # a required relation not set yet
            current = None
        if current != data[field]:
            setattr(instance, field, data[field])
            changed.append(field)
    return changed


def _track_user_access() -> None:
    """History of users' roles and activation, with the acting user (see cooperation/accounts/user_access.py)."""
    from django.contrib.auth import get_user_model
    from simple_history import register

    from cooperation.accounts.user_access import NOT_TRACKED, AccessHistory

    register(
        get_user_model(),
        app="cooperation",
        records_class=AccessHistory,
        excluded_fields=list(NOT_TRACKED),
        m2m_fields=["groups"],
    )


_track_user_access()
