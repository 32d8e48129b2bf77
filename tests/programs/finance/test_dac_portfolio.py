"""The portfolio under the OECD DAC rules: each loan's answer kept with it (judged again when its terms, its
recipient's category or a rule change), counted per currency in the loans API's portfolio and on the dashboard."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from partners import services as partner_services
from partners.models import DacCategory
from programs import services as programme_services
from programs.finance import summaries
from programs.finance.models import DacRule, Frequency, Loan
from programs.finance.selectors import CurrencyConcessionality, concessionality, loan_dac_test
from programs.finance.services import dac
from tests.factories import OrganisationFactory, currency
from tests.programs.finance.factories import LoanFactory, approved_loan, disbursed_loan

pytestmark = pytest.mark.django_db

SOFT = {
    "principal": Decimal("1000000"),
    "annual_rate": Decimal("0.5"),
    "frequency": Frequency.SEMI_ANNUAL,
    "installments": 60,
    "grace_periods": 20,
    "disbursement_date": datetime.date(2026, 1, 15),
    "first_repayment_date": datetime.date(2026, 7, 15),
}
MARKET = {**SOFT, "principal": Decimal("250000"), "annual_rate": Decimal("6"), "installments": 10, "grace_periods": 0}


def loan_of(borrower, terms, **fields) -> Loan:
    return LoanFactory(borrower=borrower, **terms, **fields)


@pytest.fixture
def ldc_borrower():
    return OrganisationFactory(dac_category=DacCategory.LEAST_DEVELOPED)


def test_a_loan_is_judged_when_it_is_drafted_and_again_when_it_is_approved(ldc_borrower):
    soft, market = loan_of(ldc_borrower, SOFT), loan_of(ldc_borrower, MARKET)
    assert (soft.dac_concessional, market.dac_concessional) == (True, False)
    approved = approved_loan(soft)
    approved.refresh_from_db()
    assert approved.dac_concessional is True
    assert approved.dac_concessional == loan_dac_test(approved).concessional


def test_a_loan_without_a_category_is_not_tested():
    assert loan_of(OrganisationFactory(), SOFT).dac_concessional is None


def test_changing_the_borrowers_category_judges_its_loans_again(officer):
    borrower = OrganisationFactory()
    soft = approved_loan(loan_of(borrower, SOFT))
    market = approved_loan(loan_of(borrower, MARKET))
    assert Loan.objects.get(pk=soft.pk).dac_concessional is None
    partner_services.organisation_update(organisation=borrower, updated_by=officer, dac_category="ldc")
    assert Loan.objects.get(pk=soft.pk).dac_concessional is True
    assert Loan.objects.get(pk=market.pk).dac_concessional is False
    partner_services.organisation_update(organisation=borrower, updated_by=officer, dac_category="")
    assert Loan.objects.get(pk=soft.pk).dac_concessional is None


def test_the_programmes_category_overrides_the_borrowers_and_is_kept_too(officer, ldc_borrower):
    # 10 years at 2%, no grace: about 29% at 9% (not enough for a least developed country), but well over the 10% a
    # multilateral development bank needs at 5%.
    terms = {**SOFT, "annual_rate": Decimal("2"), "installments": 20, "grace_periods": 0}
    loan = approved_loan(loan_of(ldc_borrower, terms))
    assert Loan.objects.get(pk=loan.pk).dac_concessional is False
    programme_services.programme_update(programme=loan.programme, updated_by=officer, dac_category="mdb")
    assert Loan.objects.get(pk=loan.pk).dac_concessional is True
    programme_services.programme_update(programme=loan.programme, updated_by=officer, dac_category="")
    assert Loan.objects.get(pk=loan.pk).dac_concessional is False


def test_a_corrected_rule_judges_the_loans_of_its_category_again(admin_user, ldc_borrower):
    loan = approved_loan(loan_of(ldc_borrower, SOFT))
    other = approved_loan(loan_of(OrganisationFactory(dac_category=DacCategory.UPPER_MIDDLE), MARKET))
    grant_element = loan_dac_test(loan).grant_element
    rule = DacRule.objects.get(category="ldc")
    dac.dac_rule_update(rule=rule, updated_by=admin_user, minimum_grant_element=grant_element + Decimal("0.01"))
    assert Loan.objects.get(pk=loan.pk).dac_concessional is False
    assert Loan.objects.get(pk=other.pk).dac_concessional is False  # its category's rule did not change
    dac.dac_rule_update(rule=rule, updated_by=admin_user, minimum_grant_element=grant_element)
    assert Loan.objects.get(pk=loan.pk).dac_concessional is True


def test_the_dashboards_concessionality_follows_a_corrected_rule(admin_user, manager, ldc_borrower):
    loan = approved_loan(loan_of(ldc_borrower, SOFT))
    usd = loan.currency
    assert concessionality(user=manager) == [
        CurrencyConcessionality(usd, concessional_loans=1, concessional=loan.principal)
    ]
    rule = DacRule.objects.get(category="ldc")
    grant_element = loan_dac_test(loan).grant_element
    dac.dac_rule_update(rule=rule, updated_by=admin_user, minimum_grant_element=grant_element + Decimal("0.01"))

    moved = [CurrencyConcessionality(usd, non_concessional_loans=1, non_concessional=loan.principal)]
    assert concessionality(user=manager) == moved
    summaries.rebuild()  # what the services kept is what the loans add up to
    assert concessionality(user=manager) == moved


def test_a_new_rule_judges_the_loans_committed_after_it(admin_user, ldc_borrower):
    loan = approved_loan(loan_of(ldc_borrower, SOFT))
    committed_on = loan_dac_test(loan).committed_on
    dac.dac_rule_create(
        created_by=admin_user,
        category="ldc",
        minimum_grant_element=Decimal("99"),
        discount_rate=Decimal("9"),
        valid_from=committed_on,
    )
    assert Loan.objects.get(pk=loan.pk).dac_concessional is False


def test_the_migration_judges_the_committed_loans_from_their_schedules(ldc_borrower):
    soft, market = approved_loan(loan_of(ldc_borrower, SOFT)), approved_loan(loan_of(ldc_borrower, MARKET))
    draft = loan_of(ldc_borrower, SOFT)
    Loan.objects.update(dac_concessional=None)
    migration = importlib.import_module("programs.finance.migrations.0011_dac_concessional_kept")
    migration.judge_committed_loans(apps, None)
    kept = dict(Loan.objects.values_list("pk", "dac_concessional"))
    assert kept == {soft.pk: True, market.pk: False, draft.pk: None}


def _portfolio(api, **query) -> dict:
    response = api.get("/api/v1/loans/portfolio/", query)
    assert response.status_code == 200, response.content
    return {row["currency"]: row for row in response.json()["currencies"]}


def test_the_portfolio_counts_concessional_loans_per_currency(officer, ldc_borrower):
    eur = currency("EUR")
    approved_loan(loan_of(ldc_borrower, SOFT))
    disbursed_loan(loan_of(ldc_borrower, SOFT))
    approved_loan(loan_of(ldc_borrower, MARKET))
    approved_loan(loan_of(OrganisationFactory(), MARKET))  # no category: not tested
    approved_loan(loan_of(ldc_borrower, SOFT, currency=eur))
    loan_of(ldc_borrower, SOFT)  # a draft is not committed: not counted
    api = APIClient()
    api.force_authenticate(officer)
    rows = _portfolio(api)
    usd = rows["USD"]
    assert (usd["concessional_loans"], usd["concessional"]) == (2, "2000000.00")
    assert (usd["non_concessional_loans"], usd["non_concessional"]) == (1, "250000.00")
    assert usd["dac_untested_loans"] == 1
    assert (rows["EUR"]["concessional_loans"], rows["EUR"]["concessional"]) == (1, "1000000.00")
    assert rows["EUR"]["non_concessional"] == "0.00"


def test_a_partner_user_counts_only_their_own_loans(partner_user, partner_org, ldc_borrower):
    partner_org.dac_category = DacCategory.LEAST_DEVELOPED
    partner_org.save(update_fields=["dac_category"])
    approved_loan(loan_of(partner_org, SOFT))
    approved_loan(loan_of(ldc_borrower, SOFT))
    api = APIClient()
    api.force_authenticate(partner_user)
    assert _portfolio(api)["USD"]["concessional_loans"] == 1


def test_the_dashboard_shows_the_concessionality(client, manager, ldc_borrower):
    disbursed_loan(loan_of(ldc_borrower, SOFT))
    disbursed_loan(loan_of(ldc_borrower, MARKET))
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"))
    page = response.content.decode()
    assert 'id="dac-concessionality"' in page
    [usd] = response.context["finance"]["concessionality"]
    assert (usd.concessional_loans, usd.non_concessional_loans, usd.dac_untested_loans) == (1, 1, 0)
    assert "(1 loan)" in page
    with translation.override("id"):
        page = client.get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Konsesional" in page


def test_the_concessionality_is_read_in_two_queries_however_many_loans(django_assert_num_queries, manager):
    borrower = OrganisationFactory(dac_category=DacCategory.LEAST_DEVELOPED)
    approved_loan(loan_of(borrower, SOFT))
    concessionality(user=manager)  # the manager's permissions are read once, then cached on the user
    with django_assert_num_queries(2):
        concessionality(user=manager)
    for _ in range(3):
        approved_loan(loan_of(borrower, MARKET, currency=currency("EUR")))
    with django_assert_num_queries(2):
        rows = concessionality(user=manager)
    assert [row.currency.code for row in rows] == ["EUR", "USD"]
