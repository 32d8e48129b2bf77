"""A manager's morning, in a real browser: "Waiting for me" leads to a loan to approve; the loan's page shows the
borrower's risk flags before the manager approves it; the programme's budget then counts the loan as committed."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cooperation.money_flows import Category
from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from programs.budgets import services as budget_services
from programs.models import Participation
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, ProgrammeFactory, UserFactory, currency
from tests.programs.finance.factories import LoanFactory, submitted_loan
from tests.programs.finance.hub_data import late_loan

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def morning(reference_data_db):
    officer = UserFactory(username="officer", role=Role.OFFICER)
    UserFactory(username="manager", role=Role.MANAGER)
    borrower = OrganisationFactory(name="Koperasi Tani Makmur", acronym="KTM")
    programme = ProgrammeFactory(code="KSM-2026-HUB", title="Irrigation credit", is_financial=True)
    Participation.objects.create(programme=programme, organisation=borrower, role=OrganisationRole.IMPLEMENTING)
    late_loan(days_late=120, borrower=borrower, programme=programme, reference="LN-2025-0031")
    this_year = datetime.date.today().year
    budget_services.line_create(
        programme=programme,
        created_by=officer,
        category=Category.FINANCIAL,
        period_start=datetime.date(this_year, 1, 1),
        period_end=datetime.date(this_year, 12, 31),
        amount=Decimal("200000"),
        currency=currency("USD"),
    )
    loan = submitted_loan(
        LoanFactory(programme=programme, borrower=borrower, created_by=officer, principal=Decimal("50000.00"))
    )
    return {"programme": programme, "loan": loan}


def test_a_manager_approves_a_waiting_loan_after_seeing_the_risk_and_the_budget_follows(browser_page, morning):
    page = browser_page
    loan, programme = morning["loan"], morning["programme"]
    log_in(page, "manager", PASSWORD)

    # The navigation counts what waits; the page lists the loan to approve.
    waiting = page.locator("a[data-waiting-count]")
    expect(waiting.locator(".badge-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    waiting.click()
    group = page.locator("#waiting-financeloan_approvals, section:has(h2:text('Loans to approve'))").first
    expect(group).to_contain_text(loan.reference)
    group.get_by_role("link", name=re.compile(loan.reference)).click()

    # The loan's page says what is wrong with the borrower before the money is committed.
    expect(page.locator(".risk-flags [data-code='finance.arrears_90']")).to_contain_text("LN-2025-0031")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "approved")

    # The programme's budget counts the approved loan as committed against its financial line.
    page.goto(f"{page.base_url}/programmes/{programme.pk}/")
    line = page.locator("#budget-lines tbody tr[id^='budget-line-']").first
    expect(line.locator("td[data-label='Committed']")).to_contain_text("50,000.00")
    expect(line.locator("td[data-label='Budget']")).to_contain_text("200,000.00")
