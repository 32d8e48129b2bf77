"""The three journeys of the foundation, in a real browser.

An officer creates a programme with two partners; the implementing partner's
user logs in, finds it and posts an update; the manager's dashboard shows it.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cooperation.roles import Role
from partners.models import Membership
from programs.models import Programme
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, currency

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(reference_data_db):
    implementer = OrganisationFactory(name="Yayasan Air Bersih", acronym="YAB")
    funder = OrganisationFactory(name="Pacific Development Fund", acronym="PDF")
    partner = UserFactory(username="partner", role=Role.PARTNER)
    Membership.objects.create(user=partner, organisation=implementer)
    return {
        "officer": UserFactory(username="officer", role=Role.OFFICER),
        "manager": UserFactory(username="manager", role=Role.MANAGER),
        "partner": partner,
        "implementer": implementer,
        "funder": funder,
    }


def test_programme_from_officer_to_partner_to_manager(browser_page, people):
    page = browser_page

    # 1. The officer creates a programme with two partners on one page.
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/programmes/new/")
    page.fill("#id_code", "KSM-2026-777")
    page.fill("#id_title", "Clean water for Kupang")
    page.check("input[name=forms][value=in_kind]")
    page.check("input[name=forms][value=financial]")
    page.fill("#id_planned_start", "2026-03-01")
    page.fill("#id_planned_end", "2027-02-28")
    page.select_option("#id_recipient_countries", ["ID", "TL"])
    page.fill("#id_budget_amount", "250000")
    page.select_option("#id_budget_currency", "USD")
    page.select_option("#id_participants-0-organisation", str(people["implementer"].pk))
    page.select_option("#id_participants-0-role", "4")
    page.select_option("#id_participants-1-organisation", str(people["funder"].pk))
    page.select_option("#id_participants-1-role", "1")
    page.fill("#id_participants-1-committed_amount", "150000")
    page.get_by_role("button", name="Create programme").click()

    expect(page.locator("h1")).to_contain_text("KSM-2026-777")
    expect(page.locator("main")).to_contain_text("Yayasan Air Bersih")
    expect(page.locator("main")).to_contain_text("Pacific Development Fund")
    programme = Programme.objects.get(code="KSM-2026-777")
    assert programme.participations.count() == 2

    # 2. The implementing partner's user lands on the portal, opens it and posts an update.
    page.context.clear_cookies()
    log_in(page, "partner", PASSWORD)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.get_by_role("link", name=re.compile("Clean water for Kupang")).first.click()
    expect(page.locator("main")).to_contain_text("KSM-2026-777")
    page.fill("#id_title", "First wells drilled")
    page.fill("#id_body", "Twelve wells drilled and tested in Kupang district.")
    page.locator("form:has(#id_body) button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("First wells drilled")
    assert programme.updates.get().organisation == people["implementer"]

    # 3. The manager's dashboard counts the programme and shows the update.
    page.context.clear_cookies()
    log_in(page, "manager", PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("main")).to_contain_text("First wells drilled")
    expect(page.locator("main")).to_contain_text("USD")
    expect(page.locator("svg[role=img]").first).to_be_visible()


def test_portal_fits_a_phone_screen(browser_page, people, own_programme_for):
    from tests.programs.finance.factories import disbursed_loan

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    own_programme_for(people["implementer"])
    loan = disbursed_loan(borrower=people["implementer"], principal=Decimal("1500000000"), currency=currency("IDR"))
    log_in(page, "partner", PASSWORD)
    expect(page.locator("main")).to_contain_text("Phone-sized programme")
    for path in ("/portal/", "/portal/finance/", f"/portal/finance/loans/{loan.pk}/"):
        page.goto(f"{page.base_url}{path}")
        expect(page.locator("main")).to_contain_text(loan.reference if "finance" in path else "Phone-sized")
        # Nothing scrolls sideways: neither the page nor a table inside its scrolling frame.
        overflow = page.evaluate(
            """Math.max(document.documentElement.scrollWidth - window.innerWidth,
                ...Array.from(document.querySelectorAll('.table-wrap'), e => e.scrollWidth - e.clientWidth))"""
        )
        assert overflow <= 1, path


@pytest.fixture
def own_programme_for():
    from tests.factories import ParticipationFactory, ProgrammeFactory

    def make(organisation):
        programme = ProgrammeFactory(title="Phone-sized programme")
        ParticipationFactory(programme=programme, organisation=organisation)
        return programme

    return make
