"""Users' roles and activation: the user admin changes them through the account services, each change keeps a
history row naming who made it (or the system, for commands), the history keeps nothing else of the account
(no password, no email), and auditors read it without being able to change anything."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from cooperation.accounts import user_access as accounts
from cooperation.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))).strip()


def group(role: Role) -> Group:
    return Group.objects.get(name=role.value)


def roles_in(record) -> list[str]:
    return sorted(row.group.name for row in record.groups.all())


@pytest.fixture
def staffer(db):
    return UserFactory(username="staffer", role=Role.OFFICER)


def change_form_post(user, **overrides) -> dict:
    """What the user admin's change form sends back for ``user`` as it stands, with ``overrides``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
        "user_permissions": [],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_giving_and_removing_roles_in_the_admin_records_the_administrator(client, admin_user, staffer):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[staffer.pk])
    roles = [str(group(Role.MANAGER).pk), str(group(Role.AUDITOR).pk)]
    assert client.post(url, change_form_post(staffer, groups=roles)).status_code == 302

    assert sorted(staffer.groups.values_list("name", flat=True)) == ["Auditor", "Manager"]
    latest = staffer.history.first()
    assert latest.history_user == admin_user
    assert roles_in(latest) == ["Auditor", "Manager"]
    assert roles_in(staffer.history.all()[1]) == [Role.OFFICER.value]  # one row for the change: before, after

    page = text_of(client.get(reverse("admin:auth_user_history", args=[staffer.pk])))
    assert "Groups:" in page and "Auditor" in page and admin_user.username in page


def test_deactivating_in_the_admin_goes_through_the_service_and_is_recorded(client, admin_user, staffer):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[staffer.pk])
    assert client.post(url, change_form_post(staffer, is_active="")).status_code == 302
    staffer.refresh_from_db()
    assert not staffer.is_active
    latest = staffer.history.first()
    assert (latest.is_active, latest.history_user) == (False, admin_user)
    assert staffer.history.filter(history_user=admin_user).count() == 1  # one change, one row

    assert client.post(url, change_form_post(staffer, is_active="on")).status_code == 302
    assert [(row.is_active, row.history_user) for row in staffer.history.all()[:2]] == [
        (True, admin_user),
        (False, admin_user),
    ]


def test_a_save_that_changes_no_access_writes_no_history(client, admin_user, staffer):
    rows = staffer.history.count()
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[staffer.pk])
    assert client.post(url, change_form_post(staffer, email="new@example.org", first_name="Ratna")).status_code == 302
    staffer.set_password("another-long-passphrase")
    staffer.save()
    client.logout()
    assert client.login(username="staffer", password="another-long-passphrase")  # stamps last_login
    assert staffer.history.count() == rows


def test_the_history_keeps_no_password_email_or_name():
    tracked = {field.name for field in User.history.model._meta.fields}
    assert {"username", "is_active", "is_staff", "is_superuser"} <= tracked
    assert not tracked & {"password", "email", "first_name", "last_name", "last_login", "date_joined"}


def test_the_services_need_the_right_to_change_users(officer, staffer, admin_user):
    with pytest.raises(PermissionDenied):
        accounts.user_set_roles(user=staffer, roles=[Role.ADMINISTRATOR], changed_by=officer)
    with pytest.raises(PermissionDenied):
        accounts.user_set_active(user=staffer, active=False, changed_by=officer)
    with pytest.raises(ValueError, match="No such role"):
        accounts.user_set_roles(user=staffer, roles=["No such role"], changed_by=admin_user)
    staffer.refresh_from_db()
    assert staffer.is_active and list(staffer.groups.values_list("name", flat=True)) == [Role.OFFICER.value]


def test_a_role_given_from_the_groups_side_is_recorded_on_the_user(admin_user, staffer):
    group(Role.MANAGER).user_set.add(staffer)
    assert roles_in(staffer.history.first()) == [Role.MANAGER.value, Role.OFFICER.value]


def test_a_command_acts_as_the_system(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="root", email="root@example.org", verbosity=0)
    (created,) = User.objects.get(username="root").history.all()
    assert (created.history_type, created.history_user, created.is_superuser) == ("+", None, True)


def test_auditors_read_users_roles_and_history_but_change_nothing(client, auditor, admin_user, staffer):
    accounts.user_set_roles(user=staffer, roles=[Role.MANAGER], changed_by=admin_user)
    client.force_login(auditor)
    change_url = reverse("admin:auth_user_change", args=[staffer.pk])

    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200
    page = client.get(change_url)
    assert page.status_code == 200
    assert staffer.password not in page.content.decode() and "md5$" not in page.content.decode()
    history = client.get(reverse("admin:auth_user_history", args=[staffer.pk]))
    assert history.status_code == 200 and admin_user.username in text_of(history)

    assert client.post(change_url, change_form_post(staffer, is_active="")).status_code == 403
    staffer.refresh_from_db()
    assert staffer.is_active


def test_officers_and_partners_do_not_read_users(client, officer, partner_user, staffer):
    for user in (officer, partner_user):
        client.force_login(user)
        assert client.get(reverse("admin:auth_user_history", args=[staffer.pk])).status_code in (302, 403)
        assert client.get(reverse("admin:auth_user_change", args=[staffer.pk])).status_code in (302, 403)
