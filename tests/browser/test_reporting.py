"""A reporting officer's quarter, in a real browser: the loan list narrowed to one currency downloads as a
spreadsheet holding exactly those loans, the narrowed list is saved as a view and opened again later, and a list
too long to write at once becomes a background export whose page ends with its download."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from cooperation.roles import Role
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, UserFactory, currency
from tests.programs.finance.factories import LoanFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loans(reference_data_db):
    UserFactory(username="manager", role=Role.MANAGER)
    usd = [LoanFactory(reference=f"LN-2026-00{n}", currency=currency("USD"), principal=Decimal("1000")) for n in (1, 2)]
    LoanFactory(reference="LN-2026-009", currency=currency("EUR"), principal=Decimal("500"))
    return usd


def _sheet(download):
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        return openpyxl.load_workbook(io.BytesIO(file.read())).active


def test_a_narrowed_list_downloads_saves_and_opens_again(browser_page, loans):
    page = browser_page
    log_in(page, "manager", PASSWORD)
    page.goto(f"{page.base_url}/finance/loans/?currency=USD")

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").first.click()
    sheet = _sheet(download.value)
    header = [cell.value for cell in sheet[1]]
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["LN-2026-001", "LN-2026-002"]
    assert {row[header.index("Currency")] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"USD"}

    page.locator("details.saved-views summary").click()
    page.get_by_label("Name").fill("Dollar loans")
    page.get_by_role("button", name="Save this view").click()
    expect(page.locator(".messages, [role=status], .alert").first).to_contain_text("Dollar loans")

    page.goto(f"{page.base_url}/finance/loans/")
    expect(page.locator("table")).to_contain_text("LN-2026-009")
    page.locator("details.saved-views summary").click()
    page.get_by_role("link", name="Dollar loans").click()
    expect(page).to_have_url(re.compile(r"currency=USD"))
    expect(page.locator("table")).not_to_contain_text("LN-2026-009")
    expect(page.locator("table")).to_contain_text("LN-2026-001")


def test_a_long_list_is_written_in_the_background_and_then_downloaded(browser_page, loans, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    page = browser_page
    log_in(page, "manager", PASSWORD)
    page.goto(f"{page.base_url}/finance/loans/")

    page.get_by_role("link", name="Excel (XLSX)").first.click()

    expect(page).to_have_url(re.compile(r"/exports/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loans")
    download_link = page.get_by_role("link", name="Download")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    assert _sheet(download.value).max_row == 4  # the header and three loans
    page.goto(f"{page.base_url}/exports/")
    expect(page.locator("table")).to_contain_text("Ready to download")
