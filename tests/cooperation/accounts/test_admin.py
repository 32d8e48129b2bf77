"""The admin: an administrator resets a user's two-factor login and revokes tokens; devices' secrets are not shown."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.accounts import services, twofactor
from cooperation.accounts.models import ApiToken, RevokeReason, SecurityEvent
from cooperation.roles import Role
from tests.cooperation.accounts.helpers import enrol
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

USERS = reverse("admin:auth_user_changelist")
TOKENS = reverse("admin:accounts_apitoken_changelist")


def test_the_user_list_shows_who_has_two_factor_login(client, admin_user, manager, officer):
    enrol(manager)
    client.force_login(admin_user)

    page = client.get(USERS)

    assert page.status_code == 200
    rows = {user.username: user.has_two_factor for user in page.context["cl"].result_list}
    assert rows["manager"] is True and rows["officer"] is False


def test_an_administrator_resets_two_factor_login_from_the_user_list(client, admin_user, manager, officer):
    enrol(manager)
    client.force_login(admin_user)

    response = client.post(
        USERS, {"action": "reset_two_factor", "_selected_action": [manager.pk, officer.pk]}, follow=True
    )

    assert "Two-factor login reset for 1 user." in response.content.decode()
    assert not twofactor.has_two_factor(manager)
    assert SecurityEvent.objects.get(kind=SecurityEvent.Kind.TWO_FACTOR_RESET).by == admin_user


def test_the_administrator_role_is_offered_the_reset_and_managers_do_not_reach_users(client, manager):
    administrator = UserFactory(role=Role.ADMINISTRATOR)  # the role, not a superuser
    client.force_login(administrator)
    assert "reset_two_factor" in client.get(USERS).content.decode()

    client.force_login(manager)
    assert client.get(USERS).status_code == 403


def test_an_administrator_revokes_tokens(client, admin_user, officer):
    token, key = services.api_token_issue(user=officer, name="laptop")
    client.force_login(admin_user)

    page = client.get(TOKENS)
    assert "laptop" in page.content.decode() and key not in page.content.decode()
    client.post(TOKENS, {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_reason == RevokeReason.ADMINISTRATOR
    assert not ApiToken.objects.live().exists()


def test_the_token_and_event_screens_are_read_only(client, admin_user, officer):
    token, _key = services.api_token_issue(user=officer, name="laptop")
    client.force_login(admin_user)

    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert client.post(reverse("admin:accounts_apitoken_change", args=[token.pk]), {"name": "x"}).status_code == 403
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403


def test_authenticator_secrets_have_no_admin_screen():
    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
