"""Two-factor login in a real browser: enrolling with an authenticator app, logging in with its code or a recovery
code, refusal without one, and a manager held at enrolment until it is done. Codes are computed here from the
secret, as the phone would."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cooperation.roles import Role
from partners.models import Membership
from tests.browser.conftest import log_in
from tests.cooperation.accounts.helpers import app_code, fresh_code, secret_from_text
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner(reference_data_db):
    user = UserFactory(username="partner", role=Role.PARTNER)
    Membership.objects.create(user=user, organisation=OrganisationFactory(name="Yayasan Air Bersih"))
    return user


@pytest.fixture
def manager(reference_data_db):
    return UserFactory(username="manager", role=Role.MANAGER)


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def enrol_on_the_page(page) -> list[str]:
    """Scan nothing: read the key shown for typing, compute the app's code, confirm; returns the recovery codes."""
    expect(page.locator("svg.qr-code")).to_be_visible()
    secret = secret_from_text(page.locator("#totp-secret").inner_text())
    page.fill("input[name=code]", app_code(secret))
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("h1")).to_have_text("Your recovery codes")
    return [code.strip() for code in page.locator("#recovery-codes code").all_inner_texts()]


def test_a_partner_enrols_then_logs_in_with_the_app_and_with_a_recovery_code(browser_page, partner):
    page = browser_page
    log_in(page, "partner", PASSWORD)

    # Enrolment from the profile.
    page.goto(f"{page.base_url}/accounts/profile/")
    page.get_by_role("link", name="Two-factor login").click()
    page.get_by_role("link", name="Turn on two-factor login").click()
    codes = enrol_on_the_page(page)
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.locator("main")).to_contain_text("recovery codes left")
    device = TOTPDevice.objects.get(user=partner, confirmed=True)
    log_out(page)

    # The password alone is not enough: the code step follows.
    log_in(page, "partner", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    page.fill("input[name=code]", fresh_code(device))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/portal/"))
    log_out(page)

    # Without a code nothing is sent, and nobody is logged in.
    log_in(page, "partner", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/code/"))
    page.fill("input[name=code]", "000000")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
    page.goto(f"{page.base_url}/portal/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))

    # A recovery code logs in once.
    log_in(page, "partner", PASSWORD)
    page.fill("input[name=code]", codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/portal/"))
    expect(page.locator(".messages")).to_contain_text("9 are left")
    log_out(page)

    log_in(page, "partner", PASSWORD)
    page.fill("input[name=code]", codes[0])
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
    page.goto(f"{page.base_url}/portal/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_a_manager_is_held_at_enrolment_until_two_factor_login_is_on(browser_page, manager, settings):
    settings.KERJASAMA_2FA_ENFORCED = True
    page = browser_page

    log_in(page, "manager", PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))
    expect(page.locator("main")).to_contain_text("Your role requires two-factor login")
    for typed in ("/dashboard/", "/admin/", "/programmes/", "/accounts/tokens/"):
        page.goto(f"{page.base_url}{typed}")
        expect(page).to_have_url(re.compile(r"/accounts/two-factor/enrol/"))

    enrol_on_the_page(page)
    page.get_by_role("link", name="I have kept them: continue").click()
    page.goto(f"{page.base_url}/dashboard/")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("h1")).to_be_visible()
