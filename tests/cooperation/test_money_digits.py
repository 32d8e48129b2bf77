"""Amounts keep to the 15 significant digits every supported database stores exactly.

SQLite keeps decimals as floating point: IDR 98,765,432,109,876.54 (16 digits) would come back a few cents off.
The largest accepted amount of each kind of currency comes back exactly (on whichever database the suite runs:
SQLite by default, PostgreSQL in CI), and one more digit is refused before anything is saved.
"""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.money import MAX_SIGNIFICANT_DIGITS, AmountField, largest_amount, significant_digits
from cooperation.reference.models import RATE_SIGNIFICANT_DIGITS
from programs import services as programme_services
from programs.finance.models import Grant
from programs.models import Programme
from tests.api_errors import error_fields
from tests.factories import currency
from tests.programs.finance.factories import FinancialProgrammeFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.mark.parametrize(
    ("code", "largest"),
    [("USD", "9999999999999.99"), ("IDR", "9999999999999.99"), ("JPY", "99999999999999"), ("KWD", "999999999999.999")],
)
def test_the_largest_amount_of_each_currency_comes_back_exactly(officer, code, largest):
    assert largest_amount(currency(code).minor_unit) == D(largest)
    programme = programme_services.programme_create(
        created_by=officer,
        code=f"KSM-{code}-1",
        title="Largest budget",
        forms=["financial"],
        budget_amount=D(largest),
        budget_currency=currency(code),
    )
    assert Programme.objects.get(pk=programme.pk).budget_amount == D(largest)


def test_one_more_digit_is_refused_and_nothing_is_saved(officer):
    with pytest.raises(ValidationError) as refused:
        programme_services.programme_create(
            created_by=officer,
            code="KSM-IDR-2",
            title="Too large",
            forms=["financial"],
            budget_amount=D("98765432109876.54"),
            budget_currency=currency("IDR"),
        )
    assert "at most 15 digits" in " ".join(refused.value.message_dict["budget_amount"])
    with pytest.raises(ValidationError) as refused:
        programme_services.programme_create(
            created_by=officer,
            code="KSM-IDR-2",
            title="Too large",
            forms=["financial"],
            budget_amount=D("98765432109876"),  # 14 whole digits and the rupiah's 2 decimals: 16
            budget_currency=currency("IDR"),
        )
    assert "the largest IDR amount is 9,999,999,999,999.99" in " ".join(refused.value.message_dict["budget_amount"])
    assert not Programme.objects.filter(code="KSM-IDR-2").exists()


def test_the_api_refuses_the_sixteen_digit_grant_of_the_issue(officer, partner_org):
    programme = FinancialProgrammeFactory()
    programme.participations.create(organisation=partner_org, role=1)
    api = APIClient()
    api.force_authenticate(officer)
    payload = {
        "programme": programme.pk,
        "recipient": partner_org.pk,
        "currency": "IDR",
        "tranche_count": 1,
        "first_tranche_on": "2026-03-01",
        "months_between": 3,
    }
    refused = api.post("/api/v1/grants/", {**payload, "amount": "98765432109876.54"}, format="json")
    assert refused.status_code == 400
    assert "at most 15 digits" in " ".join(error_fields(refused)["amount"])
    assert not Grant.objects.exists()

    # Fourteen whole digits are within the column but not exact with two decimals: refused by the service.
    refused = api.post("/api/v1/grants/", {**payload, "amount": "98765432109876"}, format="json")
    assert refused.status_code == 400
    assert "largest IDR amount" in " ".join(error_fields(refused)["amount"])

    accepted = api.post("/api/v1/grants/", {**payload, "amount": "9876543210987.65"}, format="json")
    assert accepted.status_code == 201, accepted.content
    assert Grant.objects.get().amount == D("9876543210987.65")
    assert Grant.objects.get().tranches.get().amount == D("9876543210987.65")


def test_the_loan_page_refuses_a_sixteen_digit_principal(client, officer, partner_org):
    programme = FinancialProgrammeFactory()
    programme.participations.create(organisation=partner_org, role=1)
    client.force_login(officer)
    response = client.post(
        reverse("finance:loan_create"),
        {
            "programme": programme.pk,
            "borrower": partner_org.pk,
            "principal": "98765432109876.54",
            "currency": "IDR",
            "annual_rate": "6",
            "frequency": 12,
            "installments": 12,
            "amortization": "annuity",
            "grace_periods": 0,
            "disbursement_date": "2026-01-15",
            "first_repayment_date": "2026-02-15",
            "discount_rate": "5",
        },
    )
    assert "An amount can have at most 15 digits, whole and decimal together." in response.content.decode()


def test_significant_digits_count_the_currencys_minor_unit():
    assert significant_digits(D("98765432109876.54")) == 16
    assert significant_digits(D("98765432109876"), minor_unit=2) == 16
    assert significant_digits(D("12.50")) == 3
    assert significant_digits(D("0.0001")) == 4


def test_every_decimal_column_is_exact_on_every_database():
    """A money column is an AmountField (checked against its currency); any other decimal is narrow enough."""
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.DecimalField) and not isinstance(field, AmountField):
                name = f"{model._meta.label}.{field.name}"
                is_money = field.max_digits == 18 and field.decimal_places == 4
                # Schedule rows and allocations are computed from an amount already checked, never larger; the
                # dashboard's summaries add them up per loan (never more than its principal), per programme month and
                # per programme, currency and status; a restructuring's capitalised, waived and new principal come
                # from the loan's schedule.
                derived = model._meta.model_name.removeprefix("historical") in {
                    "installment",
                    "allocation",
                    "loanfigures",
                    "monthfigures",
                    "loantotals",
                    "loanrestructuring",
                }
                assert not is_money or derived, name
                # The dashboard's other summaries (a shipment's value per currency, a programme's budget sums per
                # day, how far an indicator has come, a burn rate) are wider so that PostgreSQL keeps their sums
                # exact; they are recomputed from the exact columns above, and on SQLite, a development database,
                # are as exact as the sums the live figures make there.
                summary = model._meta.model_name in {
                    "shipmentvalue",
                    "budgetsummaryamount",
                    "budgetsummary",
                    "indicatorstanding",
                }
                # An exchange rate spans 1/16,250 to 16,250 and is refused past 15 significant digits, which every
                # database keeps exactly whatever the column's width.
                exchange_rate = model._meta.model_name.removeprefix("historical") in {"exchangerate", "fixedrate"}
                if exchange_rate:
                    assert RATE_SIGNIFICANT_DIGITS <= MAX_SIGNIFICANT_DIGITS, name
                elif not is_money and not summary:
                    assert field.max_digits <= MAX_SIGNIFICANT_DIGITS, name
