"""The loan figures the pages show, over the API: each loan's grant element on the list and the loan, and the
portfolio per currency (committed, disbursed, outstanding, in arrears, at risk), scoped as the pages are."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from programs.finance import selectors
from programs.finance.models import DayCountConvention
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    LoanFactory,
    approved_loan,
    disbursed_loan,
)

pytestmark = pytest.mark.django_db

LOANS = "/api/v1/loans/"
PORTFOLIO = "/api/v1/loans/portfolio/"
# 27 March 2026 in Jakarta: 40 days after 15 February, 100 days after 17 December 2025.
TODAY = datetime.datetime(2026, 3, 27, 5, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _on_the_day():
    cache.clear()  # the API's throttle counts
    with time_machine.travel(TODAY, tick=False):
        yield


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-FIG-1")
    programme.participations.create(organisation=partner_org, role=1)
    return programme


@pytest.fixture
def portfolio(partner_org, other_org, programme):
    """The partner's loans and one of another organisation, with known schedules:

    - late: 12,000.00 USD at 6%, four quarterly annuity installments from 15 Feb 2026 (3,113.34 each; the first
      is 2,933.34 principal and 180.00 interest), disbursed 15 Jan 2026 and nothing paid: 40 days late today;
    - fresh: 8,000.00 USD, first due 1 Apr 2026: nothing late;
    - approved: 5,000.00 USD, approved and not disbursed; draft: 3,000.00 USD (the partner does not see it);
    - euro: 4,000.00 EUR, bullet at 6% quarterly (60.00 interest a quarter) from 17 Dec 2025, on another
      programme, nothing paid: 100 days late, no principal due yet;
    - foreign: 10,000.00 USD of another organisation, first due 1 Apr 2026.
    """
    late = disbursed_loan(
        borrower=partner_org,
        programme=programme,
        frequency=4,
        installments=4,
        disbursement_date=datetime.date(2026, 1, 15),
        first_repayment_date=datetime.date(2026, 2, 15),
        day_count=DayCountConvention.FULL_PERIODS,  # a whole quarter's interest on the first installment
    )
    fresh = disbursed_loan(
        borrower=partner_org,
        programme=programme,
        principal=Decimal("8000.00"),
        disbursement_date=datetime.date(2026, 3, 1),
        first_repayment_date=datetime.date(2026, 4, 1),
    )
    approved = approved_loan(borrower=partner_org, programme=programme, principal=Decimal("5000.00"))
    draft = LoanFactory(borrower=partner_org, programme=programme, principal=Decimal("3000.00"))
    euro = disbursed_loan(
        borrower=partner_org,
        currency=currency("EUR"),
        principal=Decimal("4000.00"),
        frequency=4,
        installments=4,
        amortization="bullet",
        disbursement_date=datetime.date(2025, 11, 1),
        first_repayment_date=datetime.date(2025, 12, 17),
        day_count=DayCountConvention.FULL_PERIODS,
    )
    foreign = disbursed_loan(
        borrower=other_org,
        principal=Decimal("10000.00"),
        disbursement_date=datetime.date(2026, 3, 1),
        first_repayment_date=datetime.date(2026, 4, 1),
    )
    return {"late": late, "fresh": fresh, "approved": approved, "draft": draft, "euro": euro, "foreign": foreign}


NOT_TESTED_UNDER_DAC = {
    "concessional_loans": 0,
    "concessional": "0.00",
    "non_concessional_loans": 0,
    "non_concessional": "0.00",
}


def by_currency(response) -> dict:
    assert response.status_code == 200, response.content
    return {row["currency"]: row for row in response.json()["currencies"]}


# --- the portfolio ------------------------------------------------------------------------------------------------


def test_the_portfolio_per_currency_counts_what_is_committed_out_late_and_at_risk(officer, portfolio):
    body = as_user(officer).get(PORTFOLIO)
    rows = by_currency(body)

    assert body.json()["as_of"] == "2026-03-27"
    assert rows["USD"] == {
        "currency": "USD",
        "loans": 5,
        "committed_loans": 4,
        "active_loans": 3,
        "loans_in_arrears": 1,
        "par30_loans": 1,
        "par90_loans": 0,
        "committed": "35000.00",  # late, fresh, approved and foreign; not the draft
        "disbursed": "30000.00",
        "outstanding_principal": "30000.00",
        "principal_in_arrears": "2933.34",  # the late loan's first installment
        "overdue": "3113.34",
        "par30_amount": "12000.00",  # the late loan's whole outstanding principal
        "par30_rate": "40.00",
        "par90_amount": "0.00",
        "par90_rate": "0.00",
        **NOT_TESTED_UNDER_DAC,
        "dac_untested_loans": 4,  # no recipient category recorded (test_dac_portfolio counts the tested ones)
    }
    # Interest-only installments unpaid for 100 days: the whole loan is at risk, no principal is in arrears.
    assert rows["EUR"] == {
        "currency": "EUR",
        "loans": 1,
        "committed_loans": 1,
        "active_loans": 1,
        "loans_in_arrears": 1,
        "par30_loans": 1,
        "par90_loans": 1,
        "committed": "4000.00",
        "disbursed": "4000.00",
        "outstanding_principal": "4000.00",
        "principal_in_arrears": "0.00",
        "overdue": "120.00",
        "par30_amount": "4000.00",
        "par30_rate": "100.00",
        "par90_amount": "4000.00",
        "par90_rate": "100.00",
        **NOT_TESTED_UNDER_DAC,
        "dac_untested_loans": 1,
    }
    assert list(rows) == ["EUR", "USD"]


def test_a_partner_user_sees_the_portfolio_of_their_organisation_only(partner_user, portfolio):
    rows = by_currency(as_user(partner_user).get(PORTFOLIO))

    usd = rows["USD"]
    # Their late, fresh and approved loans: not the draft, not the other organisation's loan.
    assert (usd["loans"], usd["committed"], usd["disbursed"]) == (3, "25000.00", "20000.00")
    assert (usd["outstanding_principal"], usd["par30_amount"], usd["par30_rate"]) == ("20000.00", "12000.00", "60.00")


def test_the_portfolio_is_the_one_the_dashboard_computes(manager, portfolio):
    rows = by_currency(as_user(manager).get(PORTFOLIO))

    for dashboard in selectors.portfolio_summary(user=manager):
        row = rows[dashboard.currency.code]
        assert Decimal(row["outstanding_principal"]) == dashboard.outstanding_principal
        assert Decimal(row["disbursed"]) == dashboard.disbursed
        assert Decimal(row["overdue"]) == dashboard.overdue
        assert Decimal(row["par30_amount"]) == dashboard.at_risk_30
        assert Decimal(row["par90_amount"]) == dashboard.at_risk_90
        assert Decimal(row["par30_rate"]) == dashboard.par30
        assert row["active_loans"] == dashboard.active_loans


def test_the_portfolio_narrows_to_a_programme_or_a_currency(officer, portfolio, programme):
    api = as_user(officer)

    assert list(by_currency(api.get(PORTFOLIO, {"currency": "EUR"}))) == ["EUR"]
    of_programme = by_currency(api.get(PORTFOLIO, {"programme": programme.pk}))
    assert list(of_programme) == ["USD"]
    assert of_programme["USD"]["loans"] == 4  # the foreign loan is on a programme of its own
    assert by_currency(api.get(PORTFOLIO, {"programme": 999_999})) == {}


def test_a_partner_user_naming_another_programme_gets_nothing_of_it(partner_user, portfolio):
    foreign_programme = portfolio["foreign"].programme

    assert by_currency(as_user(partner_user).get(PORTFOLIO, {"programme": foreign_programme.pk})) == {}


@pytest.mark.parametrize("query", [{"currency": "XYZ"}, {"programme": "abc"}])
def test_a_bad_filter_is_refused_next_to_its_parameter(officer, query):
    response = as_user(officer).get(PORTFOLIO, query)

    assert response.status_code == 400
    assert [error["attr"] for error in response.json()["errors"]] == list(query)


def test_the_portfolio_needs_the_loan_permission(db):
    assert as_user(UserFactory(username="nobody")).get(PORTFOLIO).status_code == 403
    assert APIClient().get(PORTFOLIO).status_code in (401, 403)


def test_the_portfolio_url_is_named():
    assert reverse("api:loan-portfolio") == PORTFOLIO


def test_portfolio_queries_stay_flat(officer, partner_org, programme):
    api = as_user(officer)
    api.get(PORTFOLIO)  # loads the user's permissions
    for _ in range(2):
        disbursed_loan(borrower=partner_org, programme=programme)
    with CaptureQueriesContext(connection) as few:
        api.get(PORTFOLIO)
    for index in range(8):
        loan = disbursed_loan if index % 2 else approved_loan
        loan(borrower=partner_org, programme=programme, currency=currency("EUR" if index % 3 else "USD"))
    with CaptureQueriesContext(connection) as many:
        response = api.get(PORTFOLIO)
    assert by_currency(response)["USD"]["loans"] + by_currency(response)["EUR"]["loans"] == 10
    assert len(many.captured_queries) == len(few.captured_queries)


# --- the grant element --------------------------------------------------------------------------------------------

BULLET_A_YEAR = {
    # 0% bullet, one annual installment a year after disbursement, discounted at 5%: 4.76% (see test_schedule).
    "principal": Decimal("1000.00"),
    "annual_rate": Decimal("0"),
    "frequency": 1,
    "installments": 1,
    "amortization": "bullet",
    "disbursement_date": datetime.date(2026, 1, 1),
    "first_repayment_date": datetime.date(2027, 1, 1),
}


def test_each_loan_carries_its_grant_element_and_the_discount_rate_used(officer, partner_org, programme):
    draft = LoanFactory(borrower=partner_org, programme=programme, **BULLET_A_YEAR)
    approved = approved_loan(borrower=partner_org, programme=programme, **BULLET_A_YEAR)
    dearer = LoanFactory(borrower=partner_org, programme=programme, **BULLET_A_YEAR, discount_rate=Decimal("10"))
    api = as_user(officer)

    listed = {row["id"]: row for row in api.get(LOANS).json()["results"]}
    assert (listed[draft.pk]["grant_element"], listed[draft.pk]["discount_rate"]) == ("4.76", "5.0000")
    assert listed[approved.pk]["grant_element"] == "4.76"  # from the saved schedule: the same figure
    assert listed[dearer.pk]["grant_element"] == "9.09"  # 1 − 1/1.10
    detail = api.get(f"{LOANS}{approved.pk}/").json()
    assert detail["grant_element"] == "4.76"
    assert selectors.loan_grant_element(loan=approved) == Decimal("4.76")


def test_a_loan_dearer_than_the_discount_rate_has_a_negative_grant_element(officer, portfolio):
    row = as_user(officer).get(f"{LOANS}{portfolio['late'].pk}/").json()

    # 6% a year against a 5% discount rate.
    assert row["grant_element"] == str(selectors.loan_grant_element(loan=portfolio["late"])) == "-1.50"


def test_a_loan_whose_terms_give_no_schedule_has_no_grant_element(officer, partner_org, programme):
    loan = LoanFactory(borrower=partner_org, programme=programme)
    # Dates stored before they were bounded: the terms give no schedule, and so no stored grant element.
    type(loan).objects.filter(pk=loan.pk).update(
        first_repayment_date=datetime.date(9999, 12, 1), installments=600, grant_element=None
    )

    assert as_user(officer).get(f"{LOANS}{loan.pk}/").json()["grant_element"] is None


def test_the_grant_element_costs_no_query_per_loan(officer, partner_org, programme):
    api = as_user(officer)
    api.get(LOANS)  # loads the user's permissions
    for _ in range(2):
        approved_loan(borrower=partner_org, programme=programme)
    with CaptureQueriesContext(connection) as few:
        api.get(LOANS)
    for _ in range(8):
        approved_loan(borrower=partner_org, programme=programme)
    with CaptureQueriesContext(connection) as many:
        response = api.get(LOANS)
    assert {row["grant_element"] for row in response.json()["results"]} == {"-0.61"}
    assert len(many.captured_queries) == len(few.captured_queries)
