"""Roles and the named permissions each one holds — the one place where they are mapped.

Each role is a ``Group``; ``sync_roles`` makes the groups hold exactly the
permissions listed here. It runs from a migration and after every ``migrate``,
so permissions added by later modules reach their roles.
"""

from enum import StrEnum

from django.db import DEFAULT_DB_ALIAS


class Role(StrEnum):
    OFFICER = "Programme officer"
    MANAGER = "Manager"
    PARTNER = "Partner user"
    AUDITOR = "Auditor"
    ADMINISTRATOR = "Administrator"


class Perm(StrEnum):
    ACCESS_WORKSPACE = "cooperation.access_workspace"
    ACCESS_PORTAL = "cooperation.access_portal"
    VIEW_DASHBOARD = "cooperation.view_dashboard"
    VIEW_HISTORY = "cooperation.view_history"
    EXPORT_DATA = "cooperation.export_data"

    VIEW_ORGANISATION = "partners.view_organisation"
    ADD_ORGANISATION = "partners.add_organisation"
    CHANGE_ORGANISATION = "partners.change_organisation"
    VIEW_CONTACT = "partners.view_contact"
    ADD_CONTACT = "partners.add_contact"
    CHANGE_CONTACT = "partners.change_contact"
    VIEW_MEMBERSHIP = "partners.view_membership"
    ADD_MEMBERSHIP = "partners.add_membership"
    CHANGE_MEMBERSHIP = "partners.change_membership"

    VIEW_ALL_PROGRAMMES = "programs.view_all_programmes"
    VIEW_PROGRAMME = "programs.view_programme"
    ADD_PROGRAMME = "programs.add_programme"
    CHANGE_PROGRAMME = "programs.change_programme"
    VIEW_PARTICIPATION = "programs.view_participation"
    ADD_PARTICIPATION = "programs.add_participation"
    CHANGE_PARTICIPATION = "programs.change_participation"
    DELETE_PARTICIPATION = "programs.delete_participation"
    VIEW_PROGRAMME_UPDATE = "programs.view_programmeupdate"
    ADD_PROGRAMME_UPDATE = "programs.add_programmeupdate"


_OFFICER = {
    Perm.ACCESS_WORKSPACE,
    Perm.VIEW_HISTORY,
    Perm.VIEW_ORGANISATION,
    Perm.ADD_ORGANISATION,
    Perm.CHANGE_ORGANISATION,
    Perm.VIEW_CONTACT,
    Perm.ADD_CONTACT,
    Perm.CHANGE_CONTACT,
    Perm.VIEW_MEMBERSHIP,
    Perm.VIEW_ALL_PROGRAMMES,
    Perm.VIEW_PROGRAMME,
    Perm.ADD_PROGRAMME,
    Perm.CHANGE_PROGRAMME,
    Perm.VIEW_PARTICIPATION,
    Perm.ADD_PARTICIPATION,
    Perm.CHANGE_PARTICIPATION,
    Perm.DELETE_PARTICIPATION,
    Perm.VIEW_PROGRAMME_UPDATE,
    Perm.ADD_PROGRAMME_UPDATE,
}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.OFFICER: _OFFICER,
    Role.MANAGER: _OFFICER | {Perm.VIEW_DASHBOARD, Perm.EXPORT_DATA},
    # Partner users hold read permissions too; selectors narrow every read to their organisation.
    Role.PARTNER: {
        Perm.ACCESS_PORTAL,
        Perm.VIEW_ORGANISATION,
        Perm.VIEW_PROGRAMME,
        Perm.VIEW_PARTICIPATION,
        Perm.VIEW_PROGRAMME_UPDATE,
        Perm.ADD_PROGRAMME_UPDATE,
    },
    Role.AUDITOR: {
        Perm.ACCESS_WORKSPACE,
        Perm.VIEW_DASHBOARD,
        Perm.VIEW_HISTORY,
        Perm.EXPORT_DATA,
        Perm.VIEW_ALL_PROGRAMMES,
    },
    # Administrators hold every permission; see sync_roles.
    Role.ADMINISTRATOR: set(),
}

# Auditors read everything: every view_* permission of the project's apps joins their set.
AUDITED_APPS = ("partners", "programs", "reference")


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> None:
    from django.contrib.auth.models import Group, Permission

    all_permissions = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        if role is Role.ADMINISTRATOR:
            wanted = list(all_permissions.values())
        else:
            wanted_names = set(names)
            if role is Role.AUDITOR:
                wanted_names |= {
                    name for name in all_permissions if name.split(".")[0] in AUDITED_APPS and ".view_" in name
                }
            wanted = [all_permissions[name] for name in wanted_names if name in all_permissions]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    from django.apps import apps

    # post_migrate is sent once per app; by the last one every permission exists.
    if sender.label == list(apps.get_app_configs())[-1].label:
        sync_roles(using=using)


def roles_of(user) -> set[Role]:
    if not user.is_authenticated:
        return set()
    names = {group.name for group in user.groups.all()}
    roles = {role for role in Role if role.value in names}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles
