"""Users' roles and activation: who gave or removed which role, who activated or deactivated whom, and when.

A user's change history (django-simple-history, registered on the user model in
``cooperation/models.py``) keeps only what decides their access: the roles (groups),
whether the account is active, and the staff and superuser flags. Role and activation
changes are made by the services below, which the user admin calls; they record the
acting user. ``changed_by=None`` is the system itself (a management command such as
``load_demo``): no person acted, and the history says "system".
"""

from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.models import HistoricalRecords

from cooperation.access import require_perm
from cooperation.roles import Perm, Role

# What the history of a user keeps; every other field (password, last login, names, email) is left out.
ACCESS_FIELDS = ("username", "is_active", "is_staff", "is_superuser")
NOT_TRACKED = ("password", "last_login", "first_name", "last_name", "email", "date_joined")


class AccessHistory(HistoricalRecords):
    """Writes a history row only when something that decides the user's access changed.

    A login stamping ``last_login``, a new password or a new email writes nothing; adding a role the
    user already holds writes nothing either. A role given from the group's side
    (``group.user_set.add(user)``) is recorded on each user it reached.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields is not None and not set(update_fields) & set(ACCESS_FIELDS):
            return
        if not created and not self._access_changed(instance):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _access_changed(self, instance) -> bool:
        latest = (
            getattr(type(instance), self.manager_name)
            .filter(id=instance.pk)
            .order_by("-history_date", "-history_id")
            .values(*ACCESS_FIELDS)
            .first()
        )
        return latest is None or any(latest[name] != getattr(instance, name) for name in ACCESS_FIELDS)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if action in ("post_add", "post_remove") and not pk_set:
            return  # nothing was added or removed
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action not in ("post_add", "post_remove", "post_clear") or not pk_set:
            return None
        for user in self.cls._default_manager.filter(pk__in=pk_set):
            self.create_historical_record(user, "~")
        return None


def _groups(roles) -> list[Group]:
    """The groups of ``roles``: Role members or group names (an administrator may have made other groups)."""
    names = sorted({str(role) for role in roles})
    groups = list(Group.objects.filter(name__in=names))
    if len(groups) != len(names):
        missing = set(names) - {group.name for group in groups}
        raise ValueError(f"unknown role group(s): {', '.join(sorted(missing))}")
    return groups


def _act(user, changed_by) -> None:
    if changed_by is not None:
        require_perm(changed_by, Perm.CHANGE_USER)
    user._history_user = changed_by


@transaction.atomic
def user_set_roles(*, user, roles, changed_by) -> None:
    """Give ``user`` exactly ``roles`` (Role members or group names); the history records who gave or removed them."""
    _act(user, changed_by)
    wanted, held = set(_groups(roles)), set(user.groups.all())
    removed, added = held - wanted, wanted - held
    if removed:
        if added:  # one history row for the whole change: the one written after the additions
            user.skip_history_when_saving = True
        try:
            user.groups.remove(*removed)
        finally:
            user.__dict__.pop("skip_history_when_saving", None)
    if added:
        user.groups.add(*added)


def role_given_with_membership(*, user, role: Role, given_by) -> None:
    """A role that comes with another write (a partner membership gives the partner role).

    The permission to make that write is the caller's to check; the history records ``given_by``.
    """
    user._history_user = given_by
    user.groups.add(*_groups([role]))


@transaction.atomic
def user_set_active(*, user, active: bool, changed_by) -> None:
    """Activate or deactivate an account; a deactivated user can no longer sign in or use a token."""
    _act(user, changed_by)
    if user.is_active == bool(active):
        return
    user.is_active = bool(active)
    user.save(update_fields=["is_active"])
