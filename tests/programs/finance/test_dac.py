"""Whether a loan is concessional under the OECD DAC rules: the 2018 thresholds (kept as data) applied to known
loans, the rule in force on the commitment date, the recipient category from the programme or the borrower, and
what the loan's page and the API show."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from partners.models import DacCategory
from programs.finance.models import DacRule, Frequency
from programs.finance.selectors import dac_rules, loan_dac_test
from tests.programs.finance.factories import LoanFactory

pytestmark = pytest.mark.django_db

APPROVED = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))


def soft_loan(category=DacCategory.LEAST_DEVELOPED, **fields):
    """30 years at 0.5%, semi-annual, the first 10 years interest only: concessional for every category."""
    terms = {
        "principal": Decimal("1000000"),
        "annual_rate": Decimal("0.5"),
        "frequency": Frequency.SEMI_ANNUAL,
        "installments": 60,
        "grace_periods": 20,
        "disbursement_date": datetime.date(2026, 1, 15),
        "first_repayment_date": datetime.date(2026, 7, 15),
        "approved_at": APPROVED,
    }
    loan = LoanFactory(**{**terms, **fields})
    loan.borrower.dac_category = category
    loan.borrower.save(update_fields=["dac_category"])
    return loan


def market_loan(category=DacCategory.LEAST_DEVELOPED, **fields):
    """5 years at 6%, semi-annual annuity from the first half-year."""
    return soft_loan(
        category,
        annual_rate=Decimal("6"),
        installments=10,
        grace_periods=0,
        **fields,
    )


def test_the_2018_rules_are_there_as_data():
    rules = {(rule.category, rule.minimum_grant_element, rule.discount_rate) for rule in DacRule.objects.all()}
    assert rules == {
        ("ldc", Decimal("45"), Decimal("9")),
        ("lmic", Decimal("15"), Decimal("7")),
        ("umic", Decimal("10"), Decimal("6")),
        ("mdb", Decimal("10"), Decimal("5")),
        ("multilateral", Decimal("10"), Decimal("6")),
    }
    assert {rule.valid_from for rule in DacRule.objects.all()} == {datetime.date(2018, 1, 1)}


def test_a_30_year_loan_at_half_a_percent_with_10_years_grace_is_concessional_for_a_least_developed_country():
    test = loan_dac_test(soft_loan())
    assert test.concessional is True
    assert test.rule.discount_rate == Decimal("9")
    assert test.grant_element > Decimal("45")


def test_a_5_year_loan_at_6_percent_is_not_concessional():
    for category in DacCategory.values:
        test = loan_dac_test(market_loan(category))
        assert test.concessional is False, category
    # At 9% the 5-year loan keeps a small grant element, far below 45%.
    ldc = loan_dac_test(market_loan())
    assert Decimal("0") < ldc.grant_element < Decimal("45")


def test_each_category_is_discounted_at_its_own_rate():
    rates = {category: loan_dac_test(soft_loan(category)).rule.discount_rate for category in DacCategory.values}
    assert rates == {"ldc": 9, "lmic": 7, "umic": 6, "mdb": 5, "multilateral": 6}
    elements = {category: loan_dac_test(soft_loan(category)).grant_element for category in ("ldc", "lmic")}
    assert elements["ldc"] > elements["lmic"]  # a higher discount rate, a larger grant element


def test_a_grant_element_exactly_at_the_threshold_is_concessional():
    loan = market_loan(DacCategory.UPPER_MIDDLE)
    element = loan_dac_test(loan).grant_element
    rule = DacRule.objects.get(category=DacCategory.UPPER_MIDDLE)
    rule.minimum_grant_element = element
    rule.save()
    assert loan_dac_test(loan).concessional is True
    rule.minimum_grant_element = element + Decimal("0.01")
    rule.save()
    assert loan_dac_test(loan).concessional is False


def test_a_later_rule_changes_the_answer_only_for_loans_committed_after_it():
    earlier = soft_loan(DacCategory.LOWER_MIDDLE)
    later = soft_loan(DacCategory.LOWER_MIDDLE, approved_at=timezone.make_aware(datetime.datetime(2027, 2, 1, 10)))
    assert loan_dac_test(earlier).concessional is True
    assert loan_dac_test(later).concessional is True
    DacRule.objects.create(
        category=DacCategory.LOWER_MIDDLE,
        minimum_grant_element=Decimal("95"),
        discount_rate=Decimal("7"),
        valid_from=datetime.date(2027, 1, 1),
    )
    assert loan_dac_test(earlier).concessional is True
    assert loan_dac_test(later).concessional is False
    assert loan_dac_test(later).rule.minimum_grant_element == Decimal("95")


def test_a_loan_not_yet_approved_is_judged_by_the_rule_in_force_today():
    draft = soft_loan(approved_at=None)
    test = loan_dac_test(draft, today=datetime.date(2026, 5, 1))
    assert test.committed_on == datetime.date(2026, 5, 1)
    assert test.concessional is True


def test_no_rule_in_force_before_2018():
    old = soft_loan(approved_at=timezone.make_aware(datetime.datetime(2016, 6, 1, 10)))
    test = loan_dac_test(old)
    assert test.rule is None
    assert test.concessional is None


def test_the_programme_category_overrides_the_borrower():
    loan = market_loan(DacCategory.LEAST_DEVELOPED)
    loan.programme.dac_category = DacCategory.MULTILATERAL_BANK
    loan.programme.save(update_fields=["dac_category"])
    test = loan_dac_test(loan)
    assert test.category == DacCategory.MULTILATERAL_BANK
    assert test.rule.discount_rate == Decimal("5")


def test_a_missing_category_gives_no_answer():
    loan = soft_loan("")
    test = loan_dac_test(loan)
    assert test.category == ""
    assert test.concessional is None


def test_the_rules_are_read_once_for_many_loans():
    loans = [soft_loan(), market_loan()]
    for loan in loans:  # programme and borrower loaded, as the pages load them
        loan.programme, loan.borrower  # noqa: B018
    with CaptureQueriesContext(connection) as queries:
        rules = dac_rules()
        answers = [loan_dac_test(loan, rules).concessional for loan in loans]
    assert answers == [True, False]
    assert len(queries) == 1


def _dac_text(response) -> str:
    html = response.content.decode()
    start = html.index("data-dac-test")
    return html[start : html.index("</dd>", start)]


def test_the_loan_page_says_whether_the_loan_is_concessional(client, officer):
    loan = soft_loan()
    client.force_login(officer)
    response = client.get(reverse("finance:loan_detail", args=[loan.pk]))
    assert "Concessional under the DAC rules" in response.content.decode()
    text = _dac_text(response)
    element = loan_dac_test(loan).grant_element
    assert 'data-concessional="yes"' in text
    assert "Yes" in text
    assert f"grant element {element}% at 9% (threshold 45% for Least developed or other low-income country)" in text


def test_the_loan_page_says_no_for_a_loan_on_market_terms(client, officer):
    loan = market_loan(DacCategory.UPPER_MIDDLE)
    client.force_login(officer)
    text = _dac_text(client.get(reverse("finance:loan_detail", args=[loan.pk])))
    assert 'data-concessional="no"' in text
    assert "at 6% (threshold 10% for Upper-middle-income country)" in text


def test_the_loan_page_in_indonesian(client, officer):
    loan = soft_loan()
    client.force_login(officer)
    response = client.get(reverse("finance:loan_detail", args=[loan.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    text = _dac_text(response)
    assert "Ya" in text
    assert "9%" in text and "45%" in text


def test_the_loan_page_links_to_where_the_category_is_recorded(client, officer):
    loan = soft_loan("")
    client.force_login(officer)
    text = _dac_text(client.get(reverse("finance:loan_detail", args=[loan.pk])))
    assert "Recipient category not recorded" in text
    assert reverse("partners:edit", args=[loan.borrower.pk]) in text
    assert reverse("programs:edit", args=[loan.programme.pk]) in text


def test_the_loan_api_gives_the_dac_test(officer):
    loan = soft_loan(DacCategory.LOWER_MIDDLE)
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get(f"/api/v1/loans/{loan.pk}/").json()
    expected = loan_dac_test(loan)
    assert data["dac"] == {
        "category": "lmic",
        "committed_on": "2026-03-01",
        "concessional": True,
        "grant_element": str(expected.grant_element),
        "discount_rate": "7.0000",
        "minimum_grant_element": "15.0000",
    }


def test_the_loan_api_without_a_category(officer):
    loan = soft_loan("")
    api = APIClient()
    api.force_authenticate(officer)
    data = api.get(f"/api/v1/loans/{loan.pk}/").json()
    assert data["dac"]["category"] == ""
    assert data["dac"]["concessional"] is None
    assert data["dac"]["discount_rate"] is None
