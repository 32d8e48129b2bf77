"""Cross-cutting models: timestamps, and the holder of role-level permissions."""

from django.db import models
from django.utils.choices import BaseChoiceIterator
from django.utils.encoding import force_str
from django.utils.functional import Promise
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_choice_labels: dict = {}  # (a field, a language) -> (its choices, their labels in that language by value)


def _labels_of(field) -> dict:
    """A field's choices as Django's ``get_<field>_display()`` looks them up, their labels in the active language:
    built once per field and language (choices a callable gives are read again each time)."""
    choices = field.choices
    if isinstance(choices, (BaseChoiceIterator, Promise)):
        return dict(make_hashable(field.flatchoices))
    key = (field, get_language())
    cached = _choice_labels.get(key)
    if cached is None or cached[0] is not choices:
        labels = dict(make_hashable(field.flatchoices))
        cached = _choice_labels[key] = (
            choices,
            {value: force_str(label, strings_only=True) for value, label in labels.items()},
        )
    return cached[1]


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` without building the table of choices on each call: Django hashes every choice's
    label (each a translation) to build it, which a list showing a status or a role per row paid per row. The
    labels are translated once per language; a value that is no choice is given back as it is, as Django does."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 - the name Django's get_<field>_display() calls
        value = getattr(self, field.attname)
        return force_str(_labels_of(field).get(make_hashable(value), value), strings_only=True)


class TimeStampedModel(ChoiceLabels):
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
