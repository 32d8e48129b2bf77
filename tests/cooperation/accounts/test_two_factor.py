"""Two-factor login: who must use it, enrolment, the code step, recovery codes, turning it off and resetting it."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cooperation.accounts import services, twofactor
from cooperation.accounts.models import SecurityEvent
from cooperation.roles import Role
from tests.cooperation.accounts.helpers import app_code, enrol, fresh_code, secret_from_text
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account:login")
CODE_STEP = reverse("account:login_code")
ENROL = reverse("account:two_factor_enrol")


def password_step(client, username, password=PASSWORD, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def log_in_with_code(client, user, device):
    password_step(client, user.username)
    assert client.post(CODE_STEP, {"code": fresh_code(device)}).status_code == 302


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


# --- who must use it ---------------------------------------------------------------------------------


def test_nobody_is_required_while_enforcement_is_off(settings, admin_user, manager, officer, partner_user):
    settings.KERJASAMA_2FA_ENFORCED = False
    assert not any(twofactor.two_factor_required(u) for u in (admin_user, manager, officer, partner_user))


def test_enforced_for_administrators_superusers_and_managers_only(
    enforced, admin_user, manager, officer, auditor, partner_user
):
    administrator = UserFactory(role=Role.ADMINISTRATOR)  # the role, without being a superuser
    superuser = UserFactory(is_superuser=True, is_staff=True)  # a superuser, without the role
    assert twofactor.two_factor_required(admin_user)
    assert twofactor.two_factor_required(administrator)
    assert twofactor.two_factor_required(superuser)
    assert twofactor.two_factor_required(manager)
    assert not twofactor.two_factor_required(officer)
    assert not twofactor.two_factor_required(auditor)
    assert not twofactor.two_factor_required(partner_user)


def test_the_all_staff_setting_adds_officers_and_auditors_but_not_partners(
    enforced, officer, auditor, partner_user, settings
):
    settings.KERJASAMA_2FA_FOR_ALL_STAFF = True
    assert twofactor.two_factor_required(officer)
    assert twofactor.two_factor_required(auditor)
    assert not twofactor.two_factor_required(partner_user)


# --- enrolment ---------------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_drawn_by_the_app_and_the_key_to_type(client, partner_user):
    client.force_login(partner_user)
    page = client.get(ENROL)
    html = page.content.decode()

    assert page.status_code == 200
    assert "<svg" in html and 'class="qr-code"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<img" not in html  # no image fetched from anywhere
    shown_key = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1)
    # The same key until it is confirmed: a reload does not invalidate what the phone scanned.
    assert shown_key in client.get(ENROL).content.decode()
    assert not TOTPDevice.objects.exists()


def test_a_wrong_first_code_confirms_nothing(client, partner_user):
    client.force_login(partner_user)
    client.get(ENROL)

    response = client.post(ENROL, {"code": "000000"})

    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert not twofactor.has_two_factor(partner_user)


def test_the_first_code_turns_it_on_and_shows_ten_recovery_codes_once(client, partner_user, clock):
    client.force_login(partner_user)
    html = client.get(ENROL).content.decode()
    secret = secret_from_text(re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1))

    response = client.post(ENROL, {"code": app_code(secret)})

    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 == len(set(codes))
    device = TOTPDevice.objects.get(user=partner_user)
    assert device.confirmed and device.key == secret
    assert sorted(StaticToken.objects.filter(device__user=partner_user).values_list("token", flat=True)) == sorted(
        codes
    )
    assert SecurityEvent.objects.filter(user=partner_user, kind=SecurityEvent.Kind.TWO_FACTOR_ON).exists()
    # This browser is verified already; the codes appear nowhere else.
    assert client.get(reverse("portal:home")).status_code == 200
    assert codes[0] not in client.get(reverse("account:two_factor")).content.decode()
    # Enrolling again is not offered.
    assert client.get(ENROL)["Location"] == reverse("account:two_factor")


def test_the_enrolment_code_cannot_be_used_again_to_log_in(client, partner_user, clock):
    secret = twofactor.new_secret()
    first = app_code(secret)
    services.two_factor_enrol(user=partner_user, secret=secret, code=first)

    password_step(client, "partner")
    response = client.post(CODE_STEP, {"code": first})

    assert "not right" in response.content.decode()
    assert not signed_in(client)


# --- the code step -------------------------------------------------------------------------------------


def test_without_two_factor_the_password_alone_logs_in(client, partner_user):
    response = password_step(client, "partner")

    assert response.status_code == 302
    assert signed_in(client)


def test_with_two_factor_the_password_alone_does_not_log_in(client, partner_user):
    enrol(partner_user)

    response = password_step(client, "partner", next_url="/portal/")

    assert response["Location"] == CODE_STEP
    assert not signed_in(client)
    assert client.get(reverse("portal:home"))["Location"].startswith(LOGIN)
    assert "authenticator app" in client.get(CODE_STEP).content.decode()


def test_the_code_from_the_app_completes_the_login(client, partner_user, clock):
    device, _codes = enrol(partner_user)
    password_step(client, "partner", next_url="/portal/")
    clock.shift(30)

    response = client.post(CODE_STEP, {"code": fresh_code(device)})

    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert signed_in(client)
    assert client.get(reverse("portal:home")).status_code == 200


def test_no_code_or_a_wrong_code_is_refused(client, partner_user, clock):
    enrol(partner_user)
    password_step(client, "partner")

    blank = client.post(CODE_STEP, {"code": ""})
    wrong = client.post(CODE_STEP, {"code": "123456"})

    assert blank.status_code == 200 and "This field is required" in blank.content.decode()
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_logs_in_once(client, partner_user, clock):
    _device, codes = enrol(partner_user)
    password_step(client, "partner")

    response = client.post(CODE_STEP, {"code": codes[3].upper()}, follow=True)  # letter case does not count

    assert signed_in(client)
    assert "9 are left" in response.content.decode()
    assert SecurityEvent.objects.filter(user=partner_user, kind=SecurityEvent.Kind.RECOVERY_CODE_USED).exists()
    client.post(reverse("account:logout"))
    clock.shift(5)
    password_step(client, "partner")
    again = client.post(CODE_STEP, {"code": codes[3]})
    assert "not right" in again.content.decode()
    assert not signed_in(client)
    clock.shift(5)
    assert client.post(CODE_STEP, {"code": codes[4]}).status_code == 302


def test_the_device_makes_a_guesser_wait_after_a_wrong_code(client, partner_user, clock):
    device, _codes = enrol(partner_user)
    password_step(client, "partner")
    clock.shift(30)
    client.post(CODE_STEP, {"code": "000000"})

    too_soon = client.post(CODE_STEP, {"code": fresh_code(device)})

    assert "wait" in too_soon.content.decode()
    assert not signed_in(client)
    clock.shift(2)
    assert client.post(CODE_STEP, {"code": fresh_code(device)}).status_code == 302


def test_the_code_step_needs_the_password_step_first_and_forgets_it_after_five_minutes(client, partner_user, clock):
    device, _codes = enrol(partner_user)
    assert client.get(CODE_STEP)["Location"] == LOGIN

    password_step(client, "partner")
    clock.shift(5 * 60 + 1)
    response = client.post(CODE_STEP, {"code": fresh_code(device)})

    assert response["Location"] == LOGIN
    assert not signed_in(client)


def test_wrong_codes_count_toward_the_login_lockout(client, partner_user, clock, axes_on):
    device, _codes = enrol(partner_user)
    password_step(client, "partner")
    statuses = []
    for _ in range(axes_on.AXES_FAILURE_LIMIT):
        clock.shift(20)  # past the device's own wait, so that each wrong code is really checked
        statuses.append(client.post(CODE_STEP, {"code": "000000"}).status_code)

    assert statuses[:-1] == [200] * (axes_on.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # The lock holds the username: the password is refused now, and so is the right code.
    clock.shift(20)
    assert password_step(client, "partner").status_code == 429
    assert not signed_in(client)


def test_a_session_that_skipped_the_code_step_is_ended(client, partner_user):
    enrol(partner_user)
    client.force_login(partner_user)  # a login by any other way than the code step

    response = client.get(reverse("portal:home"))

    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)


def test_the_admin_login_page_sends_everyone_to_the_one_login_with_its_code_step(client, manager):
    response = client.get(reverse("admin:login"), {"next": "/admin/partners/"})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "next=/admin/partners/" in response["Location"]


# --- required roles are sent to enrolment ---------------------------------------------------------------


def test_a_manager_without_two_factor_is_sent_to_enrolment_from_every_page(client, manager, enforced, clock):
    response = password_step(client, "manager", next_url="/dashboard/")
    assert response["Location"] == f"{ENROL}?next=%2Fdashboard%2F"

    for url in ["/dashboard/", "/programmes/", "/admin/", "/portal/", "/accounts/tokens/", "/accounts/profile/"]:
        blocked = client.get(url)
        assert blocked.status_code == 302, url
        assert blocked["Location"].startswith(ENROL), url
    assert client.post("/accounts/tokens/", {"name": "sneaky"})["Location"].startswith(ENROL)
    assert client.get("/api/v1/programmes/").status_code == 403

    html = client.get(ENROL).content.decode()
    secret = secret_from_text(re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1))
    done = client.post(ENROL, {"code": app_code(secret), "next": "/dashboard/"})
    assert 'href="/dashboard/"' in done.content.decode()
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/v1/programmes/").status_code == 200


def test_enrolment_is_not_forced_while_enforcement_is_off(client, manager):
    assert password_step(client, "manager")["Location"] == reverse("home")
    assert client.get("/dashboard/").status_code == 200


def test_officers_are_forced_only_with_the_all_staff_setting(client, officer, enforced):
    password_step(client, "officer")
    assert client.get("/programmes/").status_code == 200

    enforced.KERJASAMA_2FA_FOR_ALL_STAFF = True
    client.post(reverse("account:logout"))
    password_step(client, "officer")
    assert client.get("/programmes/")["Location"].startswith(ENROL)


def test_partners_are_never_forced_but_may_turn_it_on(client, partner_user, enforced):
    password_step(client, "partner")
    assert client.get(reverse("portal:home")).status_code == 200
    profile = client.get(reverse("account:profile")).content.decode()
    assert reverse("account:two_factor") in profile
    assert "Turn on two-factor login" in client.get(reverse("account:two_factor")).content.decode()


# --- recovery codes, turning off, resetting ----------------------------------------------------------------


def test_new_recovery_codes_replace_the_old_ones(client, partner_user, clock):
    device, old = enrol(partner_user)
    clock.shift(30)
    log_in_with_code(client, partner_user, device)

    refused = client.post(reverse("account:recovery_codes"), {"regenerate-code": "000000"})
    assert refused.status_code == 400 and "not right" in refused.content.decode()
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(old)

    clock.shift(30)
    with_code = client.post(reverse("account:recovery_codes"), {"regenerate-code": fresh_code(device)})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", with_code.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(new)
    assert not services.two_factor_check(user=partner_user, code=old[0]).accepted


def test_a_partner_turns_it_off_with_a_code_and_then_logs_in_with_the_password(client, partner_user, clock):
    device, _codes = enrol(partner_user)
    clock.shift(30)
    log_in_with_code(client, partner_user, device)
    clock.shift(30)

    response = client.post(reverse("account:two_factor_disable"), {"disable-code": fresh_code(device)})

    assert response["Location"] == reverse("account:two_factor")
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert SecurityEvent.objects.filter(user=partner_user, kind=SecurityEvent.Kind.TWO_FACTOR_OFF).exists()
    client.post(reverse("account:logout"))
    assert password_step(client, "partner")["Location"] == reverse("home")


def test_turning_it_off_needs_the_right_code(client, partner_user, clock):
    device, _codes = enrol(partner_user)
    clock.shift(30)
    log_in_with_code(client, partner_user, device)

    response = client.post(reverse("account:two_factor_disable"), {"disable-code": "000000"})

    assert response.status_code == 400
    assert twofactor.has_two_factor(partner_user)


def test_a_manager_cannot_turn_it_off_where_it_is_required(enforced, manager, clock):
    device, _codes = enrol(manager)
    clock.shift(30)

    with pytest.raises(ValidationError) as refused:
        services.two_factor_disable(user=manager, code=fresh_code(device))

    assert "requires" in str(refused.value)
    assert twofactor.has_two_factor(manager)


def test_an_administrator_resets_a_lost_authenticator_and_it_is_recorded(client, enforced, admin_user, manager, clock):
    device, _codes = enrol(manager)
    clock.shift(30)
    log_in_with_code(client, manager, device)
    assert client.get("/dashboard/").status_code == 200

    assert services.two_factor_reset(user=manager, by=admin_user) is True

    event = SecurityEvent.objects.get(user=manager, kind=SecurityEvent.Kind.TWO_FACTOR_RESET)
    assert event.by == admin_user
    assert not TOTPDevice.objects.filter(user=manager).exists()
    # The session verified with the removed app ends; the next login leads to enrolment.
    assert client.get("/dashboard/")["Location"].startswith(LOGIN)
    assert password_step(client, "manager")["Location"].startswith(ENROL)


def test_only_an_administrator_resets_and_never_their_own(admin_user, officer, manager):
    enrol(manager)
    with pytest.raises(PermissionDenied):
        services.two_factor_reset(user=manager, by=officer)
    with pytest.raises(ValidationError):
        services.two_factor_reset(user=admin_user, by=admin_user)
    assert twofactor.has_two_factor(manager)
    assert services.two_factor_reset(user=officer, by=admin_user) is False  # nothing to reset
