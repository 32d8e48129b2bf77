"""Loans and grants in the one search box: by reference, borrower or recipient, programme code; staff only."""

import pytest

from cooperation.search import search
from programs.finance.search import search as finance_search
from tests.factories import OrganisationFactory
from tests.programs.finance.factories import FinancialProgrammeFactory, GrantFactory, LoanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    programme = FinancialProgrammeFactory(code="FLORES-01")
    bank = OrganisationFactory(name="Bank of Flores", acronym="BoF")
    loan = LoanFactory(reference="LN-2026-0007", borrower=bank, programme=programme, status="submitted")
    grant = GrantFactory(reference="GR-2026-0003", recipient=OrganisationFactory(name="Sekolah Harapan", acronym="SH"))
    LoanFactory(reference="LN-2026-0099")
    return loan, grant


def _titles(user, query) -> dict:
    return {group.key: [hit.title for hit in group.hits] for group in finance_search(user, query) if group.total}


def test_loans_are_found_by_reference_borrower_and_programme_code(officer, records):
    loan, _grant = records
    expected = {"finance.loans": [f"{loan.reference} · Bank of Flores (BoF)"]}

    assert _titles(officer, "LN-2026-0007") == expected
    assert _titles(officer, "flores bank") == expected
    assert _titles(officer, "FLORES-01") == expected


def test_grants_are_found_by_reference_and_recipient(officer, records):
    _loan, grant = records

    assert _titles(officer, "GR-2026-0003") == {"finance.grants": [f"{grant.reference} · Sekolah Harapan (SH)"]}
    assert _titles(officer, "harapan") == {"finance.grants": [f"{grant.reference} · Sekolah Harapan (SH)"]}


def test_partner_users_find_nothing_here_and_auditors_find_everything(partner_user, auditor, records):
    assert finance_search(partner_user, "LN-2026") == []
    assert sorted(len(group.hits) for group in search(auditor, "LN-2026") if group.key == "finance.loans") == [2]
