"""A crisis moratorium in a real browser: the officer proposes it and sees every affected loan before and after,
a manager approves the batch, and the loans show their new schedules."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cooperation.dates import add_months
from cooperation.roles import Role
from programs.finance.models import Moratorium, RestructuringStatus
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, UserFactory, country
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loans(reference_data_db):
    officer = UserFactory(username="officer", role=Role.OFFICER)
    UserFactory(username="manager", role=Role.MANAGER)
    disbursed = timezone.localdate() - datetime.timedelta(days=100)
    programme = FinancialProgrammeFactory(code="KSM-2026-FLOOD")
    programme.recipient_countries.set([country("ID")])
    found = []
    for name in ("Koperasi Tani Palu", "Koperasi Nelayan Donggala"):
        borrower = OrganisationFactory(name=name, area="Central Sulawesi", country=country("ID"))
        found.append(
            disbursed_loan(
                programme=programme,
                borrower=borrower,
                created_by=officer,
                disbursement_date=disbursed,
                first_repayment_date=disbursed + datetime.timedelta(days=31),
            )
        )
    elsewhere = OrganisationFactory(name="Koperasi Aceh", area="Aceh", country=country("ID"))
    disbursed_loan(
        programme=programme,
        borrower=elsewhere,
        created_by=officer,
        disbursement_date=disbursed,
        first_repayment_date=disbursed + datetime.timedelta(days=31),
    )
    return found


def test_officer_proposes_a_moratorium_and_a_manager_applies_it(browser_page, loans):
    page = browser_page
    starts = timezone.localdate() - datetime.timedelta(days=10)

    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/finance/moratoria/new/")
    page.fill("#id_title", "Floods in Central Sulawesi")
    page.select_option("#id_country", str(country("ID").pk))
    page.fill("#id_area", "central sulawesi")
    page.fill("#id_starts_on", starts.isoformat())
    page.fill("#id_months", "3")
    page.select_option("#id_arrears", "capitalise")
    page.fill("#id_reason", "Flash floods destroyed the harvest.")
    page.get_by_role("button", name="Preview affected loans").click()
    rows = page.locator("[data-moratorium-loans] tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-moratorium-loans]")).to_contain_text(loans[0].reference)
    expect(page.locator("[data-moratorium-totals] tbody tr")).to_have_count(1)
    expect(page.locator("[data-moratorium-totals]")).to_contain_text("USD")
    assert not Moratorium.objects.exists()

    page.get_by_role("button", name="Propose moratorium").click()
    expect(page.locator("h1")).to_have_text("Floods in Central Sulawesi")
    expect(page.locator("#status [data-status]")).to_have_text("Proposed")
    expect(page.locator("#action-approve")).to_contain_text("Only a manager can decide on a moratorium.")

    page.context.clear_cookies()
    log_in(page, "manager", PASSWORD)
    moratorium = Moratorium.objects.get()
    page.goto(f"{page.base_url}/finance/moratoria/{moratorium.pk}/")
    expect(page.locator("[data-moratorium-loans] tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Approve and apply to every loan").click()
    expect(page.locator("#status [data-status]")).to_have_text("Approved (applied)")
    expect(page.locator("[data-restructured]")).to_have_count(2)

    moratorium.refresh_from_db()
    assert moratorium.status == RestructuringStatus.APPROVED
    for loan in loans:
        record = loan.restructurings.get()
        assert record.first_due_date >= add_months(starts, 3)  # nothing falls due inside the moratorium
        page.goto(f"{page.base_url}/finance/loans/{loan.pk}/?schedule=all")
        expect(page.locator("#restructurings")).to_contain_text("Approved (applied)")
        expect(page.locator(f"#schedule time[datetime='{record.first_due_date.isoformat()}']")).to_have_count(1)
