"""The finance forms: what they offer, what they accept and what the preview needs."""

import datetime
from decimal import Decimal

import pytest

from cooperation.reference.models import Currency
from programs.finance.filters import LoanListFilter
from programs.finance.forms import GrantForm, LoanForm, ReasonForm, RepaymentForm
from programs.finance.models import Loan, LoanStatus
from tests.factories import OrganisationFactory, ProgrammeFactory, currency
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

pytestmark = pytest.mark.django_db


def terms(**overrides):
    data = {
        "principal": "5000",
        "currency": "IDR",
        "annual_rate": "3",
        "frequency": "4",
        "installments": "8",
        "amortization": "equal_principal",
        "grace_periods": "2",
        "disbursement_date": "2026-01-31",
        "first_repayment_date": "2026-04-30",
        "discount_rate": "5",
    }
    data.update(overrides)
    return data


def test_only_financial_programmes_are_offered():
    financial = FinancialProgrammeFactory(code="FIN-001")
    ProgrammeFactory(code="TECH-001")
    offered = list(LoanForm().fields["programme"].queryset)
    assert offered == [financial]
    assert list(GrantForm().fields["programme"].queryset) == [financial]


def test_editing_keeps_an_inactive_currency_and_shows_amounts_in_its_minor_unit():
    loan = LoanFactory(currency=currency("JPY"), principal=Decimal("1500000"))
    Currency.objects.filter(code="JPY").update(is_active=False)
    form = LoanForm(instance=Loan.objects.get(pk=loan.pk))
    assert form.fields["currency"].queryset.filter(code="JPY").exists()
    assert not LoanForm().fields["currency"].queryset.filter(code="JPY").exists()
    assert str(form.initial["principal"]) == "1500000"


def test_a_new_loan_starts_with_the_default_discount_rate():
    assert LoanForm().initial["discount_rate"] == Decimal("5")


def test_preview_terms_are_the_typed_schedule_fields_only():
    form = LoanForm(terms())
    form.is_valid()
    assert form.preview_terms() == {
        "principal": Decimal("5000"),
        "currency": currency("IDR"),
        "annual_rate": Decimal("3"),
        "frequency": 4,
        "installments": 8,
        "amortization": "equal_principal",
        "grace_periods": 2,
        "disbursement_date": datetime.date(2026, 1, 31),
        "first_repayment_date": datetime.date(2026, 4, 30),
        "day_count": "30e_360",  # not sent: a new loan counts 30E/360
        "discount_rate": Decimal("5"),
    }


def test_preview_needs_every_schedule_field():
    form = LoanForm(terms(first_repayment_date="", annual_rate="lots"))
    form.is_valid()
    assert form.preview_terms() is None
    problems = dict(form.preview_errors())
    assert problems["Annual interest rate (%)"] == ["Enter a number."]
    assert problems["First repayment date"] == ["This field is required."]
    assert "Programme" not in problems


def test_keep_only_preview_errors_drops_the_parties():
    form = LoanForm(terms(principal="x"))
    form.is_valid()
    assert {"programme", "borrower", "principal"} <= set(form.errors)
    form.keep_only_preview_errors()
    assert set(form.errors) == {"principal"}


def test_reason_is_required_and_not_blank():
    assert not ReasonForm({"reason": "   "}).is_valid()
    assert ReasonForm({"reason": "Duplicate booking."}).is_valid()


def test_repayment_form_starts_in_the_loans_currency_and_says_what_is_owed():
    loan = LoanFactory(currency=currency("KWD"), status=LoanStatus.DISBURSED)
    form = RepaymentForm(loan=loan, still_owed=Decimal("1234.5"))
    assert form["currency"].value() == "KWD"
    assert form.fields["amount"].help_text == "Still owed: KWD 1,234.500"


def test_filter_form_ignores_bad_values_but_applies_good_ones():
    draft = LoanFactory()
    other = LoanFactory(borrower=OrganisationFactory())
    filters = LoanListFilter(
        {"status": "nonsense", "borrower": str(draft.borrower_id), "ordering": "sideways"}, queryset=Loan.objects.all()
    )
    filtered = list(filters.qs)
    assert filtered == [draft]
    assert other not in filtered


def test_filter_form_sorts_descending_with_a_tie_breaker():
    cheap, dear = LoanFactory(principal=Decimal("10")), LoanFactory(principal=Decimal("99999"))
    filters = LoanListFilter({"ordering": "-principal"}, queryset=Loan.objects.all())
    assert list(filters.qs) == [dear, cheap]
