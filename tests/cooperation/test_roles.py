"""After migrate, each role's group holds exactly the permissions cooperation/roles.py gives it."""

import pytest
from django.contrib.auth.models import Group, Permission

from cooperation.roles import AUDITED_APPS, ROLE_PERMISSIONS, Perm, Role, roles_of, sync_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WRITE_PREFIXES = ("add_", "change_", "delete_")


def group_permissions(role: Role) -> set[str]:
    group = Group.objects.get(name=role.value)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def all_permissions() -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")}


def test_every_named_permission_exists():
    assert {str(perm) for perm in Perm} <= all_permissions()


def test_every_role_has_its_group():
    assert {role.value for role in Role} <= set(Group.objects.values_list("name", flat=True))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.PARTNER])
def test_role_groups_hold_exactly_the_listed_permissions(role):
    assert group_permissions(role) == {str(perm) for perm in ROLE_PERMISSIONS[role]}


def test_auditor_holds_the_listed_permissions_and_every_view_permission_of_the_project():
    expected = {str(perm) for perm in ROLE_PERMISSIONS[Role.AUDITOR]} | {
        name for name in all_permissions() if name.split(".")[0] in AUDITED_APPS and ".view_" in name
    }
    assert group_permissions(Role.AUDITOR) == expected
    assert "partners.view_historicalorganisation" in expected
    assert "reference.view_sector" in expected


def test_auditor_can_change_nothing():
    writes = {name for name in group_permissions(Role.AUDITOR) if name.split(".")[1].startswith(WRITE_PREFIXES)}
    assert writes == set()


def test_administrator_holds_every_permission():
    assert group_permissions(Role.ADMINISTRATOR) == all_permissions()


def test_officer_cannot_delete_partners_or_programmes_and_partner_cannot_edit_programmes():
    officer = group_permissions(Role.OFFICER)
    assert Perm.ADD_PROGRAMME in officer
    assert "programs.delete_programme" not in officer
    assert "partners.delete_organisation" not in officer
    partner = group_permissions(Role.PARTNER)
    assert Perm.CHANGE_PROGRAMME not in partner
    assert Perm.VIEW_ALL_PROGRAMMES not in partner


def test_manager_has_the_dashboard_and_the_officer_does_not():
    assert Perm.VIEW_DASHBOARD in group_permissions(Role.MANAGER)
    assert Perm.VIEW_DASHBOARD not in group_permissions(Role.OFFICER)


def test_sync_roles_restores_a_tampered_group():
    group = Group.objects.get(name=Role.AUDITOR.value)
    group.permissions.add(Permission.objects.get(codename="delete_programme"))
    group.permissions.remove(Permission.objects.get(codename="view_dashboard"))
    sync_roles()
    auditor = group_permissions(Role.AUDITOR)
    assert "programs.delete_programme" not in auditor
    assert Perm.VIEW_DASHBOARD in auditor


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.AUDITOR, Role.PARTNER])
def test_users_get_their_roles_permissions_through_the_group(role):
    user = UserFactory(role=role)
    assert roles_of(user) == {role}
    for perm in ROLE_PERMISSIONS[role]:
        assert user.has_perm(perm), perm
    assert not user.has_perm("programs.delete_programme")


def test_migrate_gives_back_a_permission_a_role_lost():
    """Running migrate on an installed database re-syncs every role, whatever app comes last."""
    from django.core.management import call_command

    manager = Group.objects.get(name=Role.MANAGER.value)
    app_label, codename = Perm.APPROVE_LOAN.split(".")
    approve = Permission.objects.get(codename=codename, content_type__app_label=app_label)
    manager.permissions.remove(approve)

    call_command("migrate", verbosity=0)

    assert manager.permissions.filter(pk=approve.pk).exists()
