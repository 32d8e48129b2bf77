"""A loan from draft to the borrower's portal, in a real browser.

The officer drafts a loan and watches the repayment schedule follow the terms
as they are typed (nothing saved yet), submits it; a manager approves it; the
borrower's partner user finds the schedule in the portal.
"""

import re

import pytest
from playwright.sync_api import expect

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from partners.models import Membership
from programs.finance.models import Loan, LoanStatus
from programs.models import Participation
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(reference_data_db):
    borrower = OrganisationFactory(name="Koperasi Tani Makmur", acronym="KTM")
    programme = ProgrammeFactory(code="KSM-2026-LOAN", title="Irrigation credit", is_financial=True)
    Participation.objects.create(programme=programme, organisation=borrower, role=OrganisationRole.IMPLEMENTING)
    partner = UserFactory(username="partner", role=Role.PARTNER)
    Membership.objects.create(user=partner, organisation=borrower)
    return {
        "officer": UserFactory(username="officer", role=Role.OFFICER),
        "manager": UserFactory(username="manager", role=Role.MANAGER),
        "partner": partner,
        "borrower": borrower,
        "programme": programme,
    }


def preview_rows(page):
    return page.locator("#schedule-preview tbody tr")


def test_loan_from_draft_with_live_preview_to_the_partner_portal(browser_page, people):
    page = browser_page

    # 1. The officer drafts the loan; the schedule appears and follows the terms before anything is saved.
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/finance/loans/new/")
    expect(page.locator("#schedule-preview")).to_contain_text("Fill in the principal")
    page.select_option("#id_programme", str(people["programme"].pk))
    page.select_option("#id_borrower", str(people["borrower"].pk))
    page.fill("#id_principal", "12000")
    page.select_option("#id_currency", "USD")
    page.fill("#id_annual_rate", "6")
    page.select_option("#id_frequency", "12")
    page.fill("#id_installments", "12")
    page.select_option("#id_amortization", "annuity")
    page.fill("#id_disbursement_date", "2026-01-15")
    page.fill("#id_first_repayment_date", "2026-02-15")

    expect(preview_rows(page)).to_have_count(12)
    expect(preview_rows(page).first).to_contain_text("USD 1,032.80")
    expect(page.locator("#schedule-preview [data-grant-element]")).to_be_visible()

    page.fill("#id_installments", "6")
    page.select_option("#id_frequency", "4")
    expect(preview_rows(page)).to_have_count(6)
    expect(preview_rows(page).first).to_contain_text("USD 2,106.30")  # quarterly: 1.5% a period
    page.fill("#id_annual_rate", "-1")
    expect(page.locator("#schedule-preview")).to_contain_text("The interest rate cannot be negative.")
    page.fill("#id_annual_rate", "6")
    expect(preview_rows(page)).to_have_count(6)
    expect(page).to_have_url(re.compile(r"/finance/loans/new/$"))  # the page never reloaded
    assert Loan.objects.count() == 0

    page.get_by_role("button", name="Create draft loan").click()
    expect(page.locator("h1")).to_contain_text("Koperasi Tani Makmur")
    loan = Loan.objects.get()
    assert (loan.installments, loan.frequency, loan.status) == (6, 4, LoanStatus.DRAFT)

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("#status [data-status]")).to_have_text("Submitted for approval")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # shown, with why not, but no button
    expect(page.locator("#action-approve")).to_contain_text("Only a manager can approve or reject a loan.")

    # 2. A manager approves it; the schedule is fixed.
    page.context.clear_cookies()
    log_in(page, "manager", PASSWORD)
    page.goto(f"{page.base_url}/finance/loans/{loan.pk}/")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#status [data-status]")).to_have_text("Approved")
    expect(page.locator("#schedule tbody tr")).to_have_count(6)
    assert Loan.objects.get().schedule.count() == 6

    # 3. The borrower's partner user finds the loan and its schedule in the portal.
    page.context.clear_cookies()
    log_in(page, "partner", PASSWORD)
    page.goto(f"{page.base_url}/portal/finance/")
    page.get_by_role("link", name=loan.reference).click()
    expect(page.locator("#schedule tbody tr")).to_have_count(6)
    expect(page.locator("#schedule tbody tr").first).to_contain_text("USD 2,106.30")
