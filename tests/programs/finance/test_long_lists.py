"""Long finance lists: every page, the last one too, shows the rows plain OFFSET paging would show in each order the
list offers, for the same queries as the first page; the borrower filter searches the partners; each
loan keeps its grant element with the terms it comes from."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from programs.finance import selectors, services
from programs.finance.filters import LOAN_ORDERINGS
from programs.finance.models import Loan, LoanStatus, Repayment
from programs.finance.selectors.figures import computed_grant_element
from tests.factories import OrganisationFactory
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    InstallmentFactory,
    LoanFactory,
    RepaymentFactory,
    approved_loan,
)

pytestmark = pytest.mark.django_db

LOANS = 56  # three pages of 25: the second and the last are read from the end of the list


@pytest.fixture
def many_loans(officer):
    """Loans with ties in every column the list sorts by, some with late installments, all created in one instant."""
    programmes = [FinancialProgrammeFactory(code=f"FIN-{n}") for n in range(2)]
    borrowers = [OrganisationFactory(name=f"Borrower {n}") for n in range(3)]
    statuses = [LoanStatus.DISBURSED, LoanStatus.SUBMITTED, LoanStatus.WRITTEN_OFF, LoanStatus.REPAID]
    loans = []
    for number in range(LOANS):
        loans.append(
            LoanFactory(
                reference=f"LN-{(number * 37) % LOANS:03d}",
                programme=programmes[number % 2],
                borrower=borrowers[number % 3],
                principal=Decimal(1000 * (1 + number % 4)),
                status=statuses[number % 4],
                disbursement_date=datetime.date(2026, 1, 1 + number % 5),
                created_by=officer,
            )
        )
    for loan in loans[::3]:
        InstallmentFactory(loan=loan, number=1, due_date=datetime.date(2026, 2, 1), principal_due=loan.principal / 2)
    Loan.objects.update(created_at=timezone.now())
    return loans


def _references(rows) -> list[str]:
    return [row.reference for row in rows]


def _offset_pages(rows, per_page=25) -> list[list[str]]:
    references = _references(rows)
    return [references[start : start + per_page] for start in range(0, len(references), per_page)]


def _in_plain_offset_order(user, ordering: str) -> list[Loan]:
    """The loan list as OFFSET pages read it: the sort's fields, then the key in the direction of the last one."""
    fields = LOAN_ORDERINGS.get(ordering.lstrip("-"))
    descending = ordering.startswith("-")
    if fields:
        keys = [F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True) for field in fields]
    else:  # newest first
        keys, descending = [F("created_at").desc()], True
    rows = selectors.loan_list(user=user).order_by(*keys, "-pk" if descending else "pk")
    return list(rows)


SORTS = ["", *LOAN_ORDERINGS, *(f"-{key}" for key in LOAN_ORDERINGS)]


@pytest.mark.parametrize("ordering", SORTS)
def test_every_page_of_the_loan_list_shows_what_offset_paging_shows(client, officer, many_loans, ordering):
    client.force_login(officer)
    expected = _offset_pages(_in_plain_offset_order(officer, ordering))

    pages = []
    for number in range(1, len(expected) + 1):
        response = client.get(reverse("finance:loan_list"), {"ordering": ordering, "page": number})
        pages.append(_references(response.context["loans"]))

    assert pages == expected
    assert sorted(sum(pages, [])) == sorted(loan.reference for loan in many_loans)


def test_the_last_page_of_the_loan_list_costs_the_queries_of_the_first(client, officer, many_loans):
    client.force_login(officer)
    client.get(reverse("finance:loan_list"))  # what a first request caches (the user's permissions) is not the page's
    counts = []
    for number in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("finance:loan_list"), {"page": number}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_narrowed_loan_list_pages_the_same_way(client, officer, many_loans):
    client.force_login(officer)
    overdue = [loan for loan in _in_plain_offset_order(officer, "reference") if loan.overdue_amount > 0]
    assert overdue  # the data set has late loans

    shown = client.get(reverse("finance:loan_list"), {"ordering": "reference", "overdue": "yes"}).context["loans"]

    assert _references(shown) == _references(overdue)[:25]
    assert all(loan.status in (LoanStatus.DISBURSED, LoanStatus.WRITTEN_OFF) for loan in shown)


def _api_pages(user, url) -> list[dict]:
    api = APIClient()
    api.force_authenticate(user)
    pages, address = [], url
    while address:
        answer = api.get(address).json()
        pages.append(answer)
        address = answer["next"]
    return pages


def test_every_page_of_the_loans_api_shows_what_offset_paging_shows(officer, many_loans):
    pages = _api_pages(officer, "/api/v1/loans/")

    expected = _offset_pages(Loan.objects.order_by("-created_at", "-pk"))
    assert [[row["reference"] for row in page["results"]] for page in pages] == expected
    assert [page["count"] for page in pages] == [LOANS] * 3
    assert pages[0]["previous"] is None and pages[-1]["next"] is None
    assert pages[-1]["previous"].endswith("page=2")
    overdue = {loan.reference: loan.overdue_amount for loan in _in_plain_offset_order(officer, "reference")}
    assert {row["reference"]: Decimal(row["overdue_amount"]) for page in pages for row in page["results"]} == overdue


def test_the_last_page_of_the_repayments_api_shows_what_offset_paging_shows(officer, many_loans):
    paid_on = [datetime.date(2026, 3, 1 + number % 4) for number in range(30)]
    for number, day in enumerate(paid_on):
        RepaymentFactory(loan=many_loans[number % 4 * 4], paid_on=day)
    Repayment.objects.update(created_at=timezone.now())

    pages = _api_pages(officer, "/api/v1/repayments/")

    expected = Repayment.objects.order_by("-paid_on", "-created_at", "-pk").values_list("pk", flat=True)
    assert [[row["id"] for row in page["results"]] for page in pages] == [list(expected[:25]), list(expected[25:])]


def test_a_partner_pages_through_its_own_repayments_only(partner_user, partner_org, officer, many_loans):
    own_loan = LoanFactory(borrower=partner_org, status=LoanStatus.DISBURSED, created_by=officer)
    draft = LoanFactory(borrower=partner_org, status=LoanStatus.DRAFT, created_by=officer)
    own = [RepaymentFactory(loan=own_loan).pk for _ in range(27)]
    RepaymentFactory(loan=draft)
    RepaymentFactory(loan=many_loans[0])

    pages = _api_pages(partner_user, "/api/v1/repayments/")

    assert sorted(row["id"] for page in pages for row in page["results"]) == own
    assert pages[0]["count"] == 27


def test_the_last_page_of_the_apis_costs_the_queries_of_the_first(officer, many_loans):
    for loan in many_loans[:30]:
        RepaymentFactory(loan=loan)
    api = APIClient()
    api.force_authenticate(officer)
    for url in ("/api/v1/loans/", "/api/v1/repayments/"):
        api.get(url)  # what a first request caches (the user's permissions) is not the page's
        counts = []
        for page in ("1", "last"):
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url, {"page": page}).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], url


# --- the borrower filter --------------------------------------------------------------------------------------------


def test_the_borrower_filter_is_a_search_over_partners_not_a_list_of_every_borrower(client, officer, many_loans):
    OrganisationFactory(name="A partner that never borrowed")
    client.force_login(officer)

    page = client.get(reverse("finance:loan_list")).content.decode()
    assert '<select name="borrower"' not in page
    assert 'name="borrower"' in page and 'role="combobox"' in page

    narrowed = client.get(reverse("finance:loan_list"), {"borrower": "Borrower 1"})
    assert narrowed.status_code == 200
    shown = {loan.borrower.name for loan in narrowed.context["page_obj"].object_list}
    assert shown == {"Borrower 1"}


# --- the grant element kept with the terms ------------------------------------------------------------------------


def test_the_grant_element_is_kept_with_the_terms_it_comes_from(officer, manager):
    loan = LoanFactory(principal=Decimal("1000.00"), annual_rate=Decimal("0"), created_by=officer)
    stored = Loan.objects.get(pk=loan.pk).grant_element
    assert stored == computed_grant_element(loan) and stored > 0

    services.loan_update(loan=loan, updated_by=officer, annual_rate=Decimal("12"))
    assert Loan.objects.get(pk=loan.pk).grant_element == computed_grant_element(loan) < stored

    loan = approved_loan(loan, approver=manager)
    services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=datetime.date(2026, 1, 20))
    loan = Loan.objects.get(pk=loan.pk)
    assert loan.grant_element == computed_grant_element(loan) == selectors.loan_grant_element(loan=loan)


def test_a_loan_saved_without_its_grant_element_still_shows_it(officer):
    loan = LoanFactory(created_by=officer)
    expected = Loan.objects.get(pk=loan.pk).grant_element
    Loan.objects.filter(pk=loan.pk).update(grant_element=None)  # as rows written in bulk arrive

    assert selectors.grant_element_of(Loan.objects.get(pk=loan.pk)) == expected
